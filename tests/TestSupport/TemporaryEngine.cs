using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ControlPanel.TestSupport;

/// <summary>
/// A Docker engine of one test's own (same flags as the lab's nodes), so the test may kill it without
/// disturbing any other test. Disposing restarts it if killed, removes its containers and stops it.
/// </summary>
public sealed class TemporaryEngine : IAsyncDisposable
{
    private readonly string _folder = Path.Combine("/var/tmp", $"cp-engine-{Guid.NewGuid():N}"[..24]);
    private Process? _dockerd;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lastErrors = new();

    public string Endpoint => $"unix://{Path.Combine(_folder, "docker.sock")}";

    public static async Task<TemporaryEngine> StartAsync()
    {
        var engine = new TemporaryEngine();
        await engine.StartDockerdAsync();
        return engine;
    }

    /// <summary>SIGKILL, as a crashed engine: its API stops answering at once.</summary>
    public void Kill()
    {
        _dockerd?.Kill();
        _dockerd?.WaitForExit();
    }

    /// <summary>SIGSTOP, as a hung engine: connections are accepted by the kernel but nothing answers. Disposing thaws it.</summary>
    public void Freeze() => Signal("STOP");

    public void Thaw() => Signal("CONT");

    /// <summary>Starts the engine again after <see cref="Kill"/>, as a crashed engine brought back: same data, same socket.</summary>
    public Task RestartAsync()
    {
        if (_dockerd is { HasExited: false }) return Task.CompletedTask;
        // The killed engine's containerd lives on and holds its socket; the new engine starts its own, as after a host reboot.
        var containerd = Path.Combine(_folder, "exec", "containerd", "containerd.pid");
        if (File.Exists(containerd) && int.TryParse(File.ReadAllText(containerd).Trim(), out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
        return StartDockerdAsync();
    }

    private void Signal(string name)
    {
        if (_dockerd is null || _dockerd.HasExited) return;
        using var kill = Process.Start("kill", ["-" + name, _dockerd.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public DockerClient Client() => new DockerClientBuilder().WithEndpoint(new Uri(Endpoint)).Build();

    private async Task StartDockerdAsync()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "data"));
        Directory.CreateDirectory(Path.Combine(_folder, "exec"));
        File.Delete(Path.Combine(_folder, "docker.sock"));
        // A killed engine leaves its pid file, and dockerd refuses to start beside one while that pid is taken.
        if (_dockerd is { HasExited: true }) File.Delete(Path.Combine(_folder, "docker.pid"));
        var start = new ProcessStartInfo("dockerd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "-H", Endpoint, "--data-root", Path.Combine(_folder, "data"), "--exec-root", Path.Combine(_folder, "exec"),
                "--pidfile", Path.Combine(_folder, "docker.pid"), "--bridge=none", "--iptables=false", "--ip-masq=false",
                "--insecure-registry", Lab.Current.Registry,
            },
        };
        _dockerd = Process.Start(start)!;
        _dockerd.OutputDataReceived += (_, _) => { };
        _dockerd.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _lastErrors.Enqueue(e.Data);
            while (_lastErrors.Count > 5) _lastErrors.TryDequeue(out string? _);
        };
        _dockerd.BeginOutputReadLine();
        _dockerd.BeginErrorReadLine();
        using var client = Client();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                await client.System.PingAsync();
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or DockerApiException or TimeoutException)
            {
                await Task.Delay(250);
            }
        }
        throw new InvalidOperationException($"the temporary engine in {_folder} did not start: {string.Join(" | ", _lastErrors)}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Thaw();
            if (_dockerd is null || _dockerd.HasExited) await RestartAsync(); // it reconnects to what still runs, so it can clean up
            using var client = Client();
            foreach (var c in await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }))
            {
                try
                {
                    await client.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
                }
                catch (DockerContainerNotFoundException)
                {
                    // Removed meanwhile (a panel still running, e.g. rolling back): gone is what this wanted.
                }
            }
        }
        finally
        {
            if (_dockerd is { HasExited: false })
            {
                Process.Start("kill", ["-TERM", _dockerd.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
                if (!_dockerd.WaitForExit(30_000)) _dockerd.Kill();
            }
            // dockerd leaves its data root bind-mounted on itself and its network namespace mounted.
            foreach (var mount in new[] { Path.Combine(_folder, "exec", "netns", "default"), Path.Combine(_folder, "data") })
                Process.Start(new ProcessStartInfo("umount", ["-l", mount]) { RedirectStandardError = true })!.WaitForExit();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // Something still holds a file; the folder is under /var/tmp and unique.
            }
        }
    }
}
