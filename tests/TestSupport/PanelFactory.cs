using ControlPanel.Core.Security;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlPanel.TestSupport;

/// <summary>
/// The real app over the lab's three shared nodes, plus one misconfigured node, with history in a
/// fresh SQLite file (or the lab's PostgreSQL when given a connection string). Call UseKestrel()
/// before the first client to serve on a real port for a browser.
/// </summary>
public sealed class PanelFactory : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-web-{Guid.NewGuid():N}");

    /// <summary>Where this app instance keeps its SQLite file.</summary>
    public string SqliteFile => Path.Combine(_dataDirectory, "controlpanel.db");
    private readonly string? _postgres;
    private readonly bool _withBrokenNode;

    /// <summary>Every log line the app writes; with <see cref="DebugLogging"/>, at Trace level and up.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>Turn debug logging on everywhere, as an operator chasing a problem would (before the first client).</summary>
    public bool DebugLogging { get; set; }

    /// <summary>Extra settings, applied last.</summary>
    public Dictionary<string, string> Settings { get; } = new()
    {
        // Tests and benchmarks build from repositories in temporary folders; a test that wants the default sets "false".
        ["ControlPanel:Builds:AllowLocalRepositories"] = "true",
    };

    /// <summary>Service changes applied after the app's own (before the first client), e.g. a decorator that counts calls.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public PanelFactory(string? postgresConnectionString = null, bool withBrokenNode = true)
    {
        _postgres = postgresConnectionString;
        _withBrokenNode = withBrokenNode;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseContentRoot(WebProjectDirectory());
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (ConfigureServices is { } configure) builder.ConfigureServices(configure);
        if (DebugLogging)
        {
            builder.UseSetting("Logging:LogLevel:Default", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace");
        }
        builder.UseSetting("ControlPanel:DataDirectory", _dataDirectory);
        // Outside Development the panel demands a certificate for its key ring or this explicit opt-out.
        builder.UseSetting("ControlPanel:DataProtection:AllowUnprotectedKeys", "true");
        var nodes = Lab.SharedNodes;
        for (var i = 0; i < nodes.Count; i++)
        {
            builder.UseSetting($"ControlPanel:Nodes:{i}:Name", nodes[i].Name);
            builder.UseSetting($"ControlPanel:Nodes:{i}:Endpoint", nodes[i].Endpoint);
        }
        if (_withBrokenNode)
        {
            builder.UseSetting($"ControlPanel:Nodes:{nodes.Count}:Name", "broken");
            builder.UseSetting($"ControlPanel:Nodes:{nodes.Count}:Endpoint", "tcp://example-without-port");
        }
        builder.UseSetting("ControlPanel:Fleet:NodeTimeout", "00:00:03");
        if (_postgres is not null)
        {
            builder.UseSetting("ControlPanel:Database:Provider", "PostgreSQL");
            builder.UseSetting("ControlPanel:Database:ConnectionString", _postgres);
        }
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>Creates a user with this role (name <c>{role}-{random}</c>) through the app's own services.</summary>
    public async Task<(string UserName, string Password)> CreateUserAsync(Role role)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ActorOverride>().Actor = ConsoleAdmin;
        var name = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..20];
        const string password = "correct horse battery staple";
        await scope.ServiceProvider.GetRequiredService<IUserAdministration>().CreateAsync(name, password, role, CancellationToken.None);
        return (name, password);
    }

    /// <summary>An HTTP client acting as a new user of this role, through an API token in the Authorization header.</summary>
    public async Task<HttpClient> CreateClientAsync(Role role)
    {
        var (name, _) = await CreateUserAsync(role);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await CreateTokenAsync(name));
        return client;
    }

    /// <summary>
    /// Waits until the panel's fleet watcher has listed each node once: its event stream is open by then, so what happens on
    /// the node from now on reaches the panel. A test that makes a container misbehave right after the panel starts must
    /// wait for this, or the container's events may come before the panel listens.
    /// </summary>
    public async Task WaitUntilWatchingAsync(params string[] nodes)
    {
        var state = Services.GetRequiredService<Core.Fleet.FleetState>();
        await LabContainers.WaitUntilAsync(() => Task.FromResult(nodes.All(n => state.Find(n) is not null)), TimeSpan.FromSeconds(60),
            $"the panel to watch {string.Join(", ", nodes)}");
    }

    public async Task<string> CreateTokenAsync(string userName)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ActorOverride>().Actor = ConsoleAdmin;
        var created = await scope.ServiceProvider.GetRequiredService<IApiTokens>().CreateAsync(userName, "tests", DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
        return created.Token;
    }

    public async Task RunAsAdminAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ActorOverride>().Actor = ConsoleAdmin;
        await action(scope.ServiceProvider);
    }

    private static Actor ConsoleAdmin => new("tests", null, new HashSet<Role> { Role.Admin }, true);

    /// <summary>src/Web, found from the build output upwards (benchmarks lack the test SDK's content-root hint).</summary>
    public static string WebProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ControlPanel.sln"))) return Path.Combine(dir.FullName, "src", "Web");
        }
        throw new InvalidOperationException($"ControlPanel.sln not found above {AppContext.BaseDirectory}.");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        DeleteDataDirectory();
    }

    // A build cancelled by the host's shutdown can still be writing its log or git cache for a moment after it: try
    // again briefly, and leave a temporary folder behind rather than fail the test that used the panel.
    private void DeleteDataDirectory()
    {
        for (var attempt = 1; Directory.Exists(_dataDirectory); attempt++)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(200);
            }
            catch (IOException)
            {
                return;
            }
        }
    }
}
