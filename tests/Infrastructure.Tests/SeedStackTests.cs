using System.Formats.Tar;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;

namespace ControlPanel.Infrastructure.Tests;

/// <summary>
/// The lab's seed images (scripts/lab-seed): PHP-FPM behind nginx on one node, nginx pointed at PHP-FPM the way
/// the panel does it — the upstream file written through the archive API, then `nginx -t` and `nginx -s reload` by exec.
/// </summary>
public sealed partial class SeedStackTests : EngineTestBase
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Post_ThroughNginxPointedAtPhpFpm_AnswersTheAppsVersion()
    {
        var (_, nginxPort) = await StartStackAsync(Lab.SharedNodes[0]);

        using var response = await _http.PostAsync($"http://127.0.0.1:{nginxPort}/?ms=300", new StringContent("order=1", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task Stop_OfPhpFpmWithItsStopSignal_FinishesTheRequestInFlight()
    {
        var node = Lab.SharedNodes[1];
        var (fpm, nginxPort) = await StartStackAsync(node);
        Assert.Equal("SIGQUIT", (await Containers.InspectAsync(node, fpm)).Config!.StopSignal);

        var inFlight = _http.PostAsync($"http://127.0.0.1:{nginxPort}/?ms=2000", new StringContent("order=2", Encoding.UTF8, "application/x-www-form-urlencoded"));
        // PHP-FPM's status page counts itself too: two active processes means the slow request is being served.
        await LabContainers.WaitUntilAsync(async () => await ActiveProcessesAsync(nginxPort) >= 2, TimeSpan.FromSeconds(20), "the request to reach PHP-FPM");
        await Containers.Client(node).Containers.StopContainerAsync(fpm, new ContainerStopParameters { WaitBeforeKillSeconds = 20 });

        using var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1", (await response.Content.ReadAsStringAsync()).Trim());
        Assert.Equal(0, (await Containers.InspectAsync(node, fpm)).State!.ExitCode); // left on its own, not SIGKILLed
    }

    /// <summary>Runs php-fpm:1 and nginx:1, points nginx's upstream at PHP-FPM and waits until a request passes through.</summary>
    private async Task<(string Fpm, int NginxPort)> StartStackAsync(NodeDefinition node)
    {
        var fpmPort = LabContainers.NextPort();
        var nginxPort = LabContainers.NextPort();
        var fpm = await Containers.RunAsync(node, "php-fpm", "fpm", new Dictionary<string, string> { ["PORT"] = $"{fpmPort}" });
        var nginx = await Containers.RunAsync(node, "nginx", "nginx", new Dictionary<string, string> { ["PORT"] = $"{nginxPort}" });
        await Containers.WaitForLogAsync(node, fpm, "ready to handle connections", TimeSpan.FromSeconds(30));

        await WriteFileAsync(node, nginx, "/etc/nginx/conf.d", "upstream-fpm.conf", $"upstream fpm {{\n    server 127.0.0.1:{fpmPort};\n}}\n");
        var test = await ExecAsync(node, nginx, "nginx", "-t");
        Assert.True(test.ExitCode == 0, $"nginx -t failed: {test.Output}");
        var oldWorkers = await WorkerPidsAsync(node, nginx);
        Assert.NotEmpty(oldWorkers);
        var reload = await ExecAsync(node, nginx, "nginx", "-s", "reload");
        Assert.True(reload.ExitCode == 0, $"nginx -s reload failed: {reload.Output}");

        // The reload is asynchronous, and for a moment old workers (placeholder upstream, 502) accept connections
        // beside the new ones: one OK through a new worker does not mean the next request gets one too.
        await LabContainers.WaitUntilAsync(async () => !(await WorkerPidsAsync(node, nginx)).Overlaps(oldWorkers),
            TimeSpan.FromSeconds(20), "nginx's old workers to exit after the reload");
        await LabContainers.WaitUntilAsync(async () => await StatusOfAsync($"http://127.0.0.1:{nginxPort}/ping") == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "nginx to reach PHP-FPM's ping");
        return (fpm, nginxPort);
    }

    /// <summary>The process ids of nginx's workers, read from /proc in the container (the image has no ps).</summary>
    private async Task<HashSet<string>> WorkerPidsAsync(NodeDefinition node, string nginx)
    {
        var list = await ExecAsync(node, nginx, "sh", "-c",
            "for d in /proc/[0-9]*; do tr '\\0' ' ' < $d/cmdline 2>/dev/null | grep -q '^nginx: worker' && echo ${d#/proc/}; done; true");
        Assert.True(list.ExitCode == 0, $"listing nginx's workers failed: {list.Output}");
        return list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
    }

    private async Task<HttpStatusCode?> StatusOfAsync(string url)
    {
        try
        {
            using var response = await _http.GetAsync(url);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null; // nginx not listening yet
        }
    }

    private async Task<int> ActiveProcessesAsync(int nginxPort)
    {
        var status = await _http.GetStringAsync($"http://127.0.0.1:{nginxPort}/status");
        return int.Parse(ActiveProcesses().Match(status).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^active processes:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex ActiveProcesses();

    /// <summary>Writes one file into a running container through the engine's archive API.</summary>
    private async Task WriteFileAsync(NodeDefinition node, string id, string folder, string name, string content)
    {
        using var archive = new MemoryStream();
        await using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            await writer.WriteEntryAsync(entry);
        }
        archive.Position = 0;
        await Containers.Client(node).Containers.ExtractArchiveToContainerAsync(id, new CopyToContainerParameters { Path = folder }, archive);
    }

    private async Task<(long ExitCode, string Output)> ExecAsync(NodeDefinition node, string id, params string[] command)
    {
        var client = Containers.Client(node);
        var exec = await client.Exec.CreateContainerExecAsync(id, new ContainerExecCreateParameters { Cmd = command, AttachStdout = true, AttachStderr = true });
        using var stream = await client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters());
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(default);
        return ((await client.Exec.InspectContainerExecAsync(exec.ID)).ExitCode ?? -1, stdout + stderr);
    }

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }
}
