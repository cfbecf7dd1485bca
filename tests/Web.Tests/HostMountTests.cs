using System.Net;
using System.Net.Http.Json;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A Deployer must not get root on the hosts through a replica's mounts: host paths only inside folders an Admin
/// allowed, never the system's or the engine's (whoever asks), and no privileged settings in the spec at all.
/// </summary>
public sealed class HostMountTests : BuildTestBase
{
    private readonly string _allowed = Directory.CreateTempSubdirectory("cp-mounts-").FullName;
    private static string LabFolder => Path.GetDirectoryName(Path.GetDirectoryName(Lab.SharedNodes[0].Endpoint["unix://".Length..]))!;

    public HostMountTests()
    {
        Factory.Settings["ControlPanel:HostMounts:AllowedPaths:0"] = _allowed;
        // An Admin's mistake: a folder that holds the engines' sockets. Mounting what holds a socket is still refused.
        Factory.Settings["ControlPanel:HostMounts:AllowedPaths:1"] = LabFolder;
    }

    private Task<HttpResponseMessage> SaveAsync(HttpClient client, string service, object runtime) =>
        client.PutAsJsonAsync($"/api/services/{service}", new { repositoryUrl = Repo.Path, registry = "lab", imageRepository = $"tests/{service}", runtime });

    public static TheoryData<string> HostTakeovers => new()
    {
        "/:/host", "/var/run/docker.sock:/var/run/docker.sock", "/run/docker.sock:/d.sock", "/etc:/host-etc:ro", "/proc:/p",
        "/sys/fs/cgroup:/c", "/var/lib/docker:/d", "/var:/v", "/root/.ssh:/k", "/srv/../etc:/x", "/anything/else.sock:/s",
    };

    [Theory]
    [MemberData(nameof(HostTakeovers))]
    public async Task SystemAndEnginePaths_AreRefusedEvenForAnAdmin_AndNothingIsStored(string volume)
    {
        foreach (var client in new[] { Deployer, Admin })
        {
            var service = $"mnt-{Guid.NewGuid():N}"[..20];
            var response = await SaveAsync(client, service, new { volumes = new[] { volume } });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("runtime.volumes", body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/{service}")).StatusCode);
        }
    }

    [Fact]
    public async Task TheEnginesOwnSocket_IsRefusedInsideAnAllowedFolder()
    {
        var socket = Lab.SharedNodes[0].Endpoint["unix://".Length..];
        foreach (var volume in new[] { $"{socket}:/var/run/docker.sock", $"{LabFolder}:/lab", $"{Path.GetDirectoryName(socket)}:/node" })
        {
            var response = await SaveAsync(Deployer, $"mnt-{Unique}", new { volumes = new[] { volume } });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("never mounted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HostPaths_OutsideTheAllowedFolders_AreRefused_InsideAndNamedVolumesAreKept()
    {
        var outside = await SaveAsync(Deployer, $"mnt-{Unique}", new { volumes = new[] { "/srv/data:/data" } });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        var reason = await outside.Content.ReadAsStringAsync();
        Assert.Contains("ControlPanel:HostMounts:AllowedPaths", reason, StringComparison.Ordinal);
        Assert.Contains(_allowed, reason, StringComparison.Ordinal);

        var inside = await SaveAsync(Deployer, $"mnt-{Unique}", new { volumes = new[] { $"{_allowed}/uploads:/data", "php-sessions:/var/lib/php/sessions:rw" } });
        Assert.True(inside.IsSuccessStatusCode, await inside.Content.ReadAsStringAsync());
        var stored = await Deployer.GetStringAsync($"/api/services/mnt-{Unique}");
        Assert.Contains($"{_allowed}/uploads:/data", stored, StringComparison.Ordinal);
        Assert.Contains("php-sessions:/var/lib/php/sessions:rw", stored, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("privileged", true)]
    [InlineData("capAdd", "SYS_ADMIN")]
    [InlineData("pidMode", "host")]
    [InlineData("ipcMode", "host")]
    [InlineData("devices", "/dev/sda")]
    public async Task PrivilegedSettings_AreNotPartOfTheSpec_AndAreRefusedByName(string setting, object value)
    {
        var runtime = new Dictionary<string, object> { ["replicasPerNode"] = 1, [setting] = value };

        var response = await SaveAsync(Deployer, $"mnt-{Unique}", runtime);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(setting, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/mnt-{Unique}")).StatusCode);
    }

    [Fact]
    public async Task ServicePages_ShowAnAdminWhichServicesMountHostPaths()
    {
        var saved = await SaveAsync(Deployer, $"mnt-{Unique}", new { volumes = new[] { $"{_allowed}/uploads:/data" } });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        foreach (var (role, shown) in new[] { (Core.Security.Role.Admin, true), (Core.Security.Role.Deployer, false) })
        {
            var (user, password) = await Factory.CreateUserAsync(role);
            using var browser = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            Assert.Equal(HttpStatusCode.Redirect, (await FormSignIn.SignInAsync(browser, user, password)).StatusCode);

            var detail = await browser.GetStringAsync($"/services/mnt-{Unique}");
            var list = await browser.GetStringAsync("/services");

            Assert.Equal(shown, detail.Contains($"{_allowed}/uploads", StringComparison.Ordinal) && detail.Contains("data-testid=\"host-paths\"", StringComparison.Ordinal));
            Assert.Equal(shown, list.Contains("data-testid=\"host-paths\"", StringComparison.Ordinal));
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_allowed, recursive: true);
    }
}
