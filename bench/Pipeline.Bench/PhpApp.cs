using ControlPanel.Core.Fleet;
using ControlPanel.Infrastructure.FastCgi;
using ControlPanel.TestSupport;

namespace ControlPanel.Bench;

/// <summary>
/// The app both paths ship: a local git repository with a PHP page that prints its version (a constant that the
/// one-file change edits), a php-fpm pool with a FastCGI ping, and a Dockerfile FROM the lab's php-fpm seed image.
/// </summary>
public sealed class PhpApp : IDisposable
{
    /// <summary>Where the page lives in the image and, for the git-pull path, where the checkout is mounted.</summary>
    public const string DocumentRoot = "/srv/app";
    public const string Branch = "main";
    private static readonly FastCgiReplicaProbe Probe = new();
    private readonly string _unique;
    private int _version;

    public PhpApp(string unique)
    {
        _unique = unique;
        Repository.Write("Dockerfile", $"""
            FROM {Lab.Image("php-fpm")}
            COPY php-fpm/pool.conf /etc/php/8.2/fpm/pool.d/app.conf
            COPY index.php {DocumentRoot}/index.php
            """);
        // Traffic.Bench's pool: fixed workers, listening on the replica's own port, with PHP-FPM's ping for health.
        Repository.Write("php-fpm/pool.conf", """
            [app]
            user = www-data
            group = www-data
            listen = 127.0.0.1:${PORT}
            pm = static
            pm.max_children = 4
            ping.path = /ping
            ping.response = pong
            catch_workers_output = yes
            decorate_workers_output = no
            """);
        Commit();
    }

    public GitTestRepository Repository { get; } = new(Branch);

    /// <summary>The version the branch head prints, e.g. "a1b2c3d4-v3".</summary>
    public string Version => $"{_unique}-v{_version}";

    /// <summary>The one-file change: a new version constant in index.php, committed; returns the commit's SHA.</summary>
    public string Commit()
    {
        _version++;
        Repository.Write("index.php", $"""
            <?php
            const VERSION = '{Version}';
            header('Content-Type: text/plain');
            echo VERSION;
            """);
        return Repository.Commit($"version {Version}");
    }

    /// <summary>Whether the php-fpm on this port answers index.php with exactly this version.</summary>
    public static async Task<bool> ServesAsync(NodeDefinition node, int port, string version, CancellationToken cancellationToken = default) =>
        (await Probe.ProbeAsync(node, port, $"{DocumentRoot}/index.php", version, TimeSpan.FromSeconds(2), cancellationToken)).Healthy;

    /// <summary>Whether the php-fpm on this port answers its ping.</summary>
    public static async Task<bool> PingsAsync(NodeDefinition node, int port, CancellationToken cancellationToken = default) =>
        (await Probe.ProbeAsync(node, port, "/ping", "pong", TimeSpan.FromSeconds(2), cancellationToken)).Healthy;

    /// <summary>Asks every <paramref name="interval"/> until <paramref name="ready"/> holds; throws after <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(Func<Task<bool>> ready, string what, TimeSpan timeout, int interval = 20)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await ready())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what}: not after {timeout.TotalSeconds:0} s");
            await Task.Delay(interval);
        }
    }

    public void Dispose() => Repository.Dispose();
}
