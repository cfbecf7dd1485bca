using System.Diagnostics;
using System.Text;

namespace ControlPanel.TestSupport;

/// <summary>
/// The panel as its own operating-system process (the built ControlPanel.Web.dll), over the lab's three shared nodes
/// and a SQLite file in its own data folder — for what only a real process shows: being killed with SIGKILL and
/// started again on the same data; or, for a benchmark, with no configured nodes at all and its CPU time read.
/// </summary>
public sealed class PanelProcess : IAsyncDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("cp-process-").FullName;
    private readonly Dictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private readonly bool _withLabNodes;
    private Process? _process;

    /// <param name="withLabNodes">False: no configured nodes, not even the lab's exported ControlPanel__Nodes__* (nodes then come from elsewhere, e.g. Consul).</param>
    public PanelProcess(IReadOnlyDictionary<string, string>? settings = null, bool withLabNodes = true)
    {
        _withLabNodes = withLabNodes;
        Port = LabContainers.NextPort();
        _settings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ControlPanel__DataDirectory"] = _dataDirectory,
            // Outside Development the panel demands a certificate for its key ring or this explicit opt-out.
            ["ControlPanel__DataProtection__AllowUnprotectedKeys"] = "true",
        };
        // Tests build from repositories in temporary folders; a test that wants the default passes "false".
        _settings.TryAdd("ControlPanel__Builds__AllowLocalRepositories", "true");
        for (var i = 0; withLabNodes && i < Lab.SharedNodes.Count; i++)
        {
            _settings[$"ControlPanel__Nodes__{i}__Name"] = Lab.SharedNodes[i].Name;
            _settings[$"ControlPanel__Nodes__{i}__Endpoint"] = Lab.SharedNodes[i].Endpoint;
        }
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The running web server's process id, for reading its CPU time and memory from /proc.</summary>
    public int ProcessId => (_process ?? throw new InvalidOperationException("The panel process is not running.")).Id;

    /// <summary>CPU time (user + system) the running web server has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException("The panel process is not running.");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>Everything the process (all its runs) wrote to stdout and stderr, for failure messages.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Runs a command of the panel (e.g. <c>token create</c>) on the same data; returns its last line of output.</summary>
    public async Task<string> RunCommandAsync(string? standardInput, params string[] args)
    {
        var lines = new List<string>();
        using var command = Start(args, lines);
        if (standardInput is not null) await command.StandardInput.WriteLineAsync(standardInput);
        command.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await command.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            command.Kill(entireProcessTree: true); // or it would hold the data folder
            throw new TimeoutException($"`{string.Join(' ', args)}` did not finish within 120 s: {Output}");
        }
        if (command.ExitCode != 0) throw new InvalidOperationException($"`{string.Join(' ', args)}` exited {command.ExitCode}: {Output}");
        lock (lines) return lines.Count > 0 ? lines[^1] : throw new InvalidOperationException($"`{string.Join(' ', args)}` printed nothing: {Output}");
    }

    /// <summary>Starts the web server and waits until /healthz answers.</summary>
    public async Task StartAsync()
    {
        _process = Start(["--urls", BaseAddress.ToString()]);
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await LabContainers.WaitUntilAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"The panel exited with {_process.ExitCode}: {Output}");
            try
            {
                return (await http.GetAsync("/healthz")).IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the panel process to answer /healthz");
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the host loses power or the OOM killer strikes.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    private Process Start(IEnumerable<string> args, List<string>? standardOutput = null)
    {
        // The host running these tests (the dotnet CLI names it for child processes), not whatever is first on PATH.
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = PanelFactory.WebProjectDirectory(), // the content root: appsettings.json
        };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        if (!_withLabNodes)
            foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("ControlPanel__Nodes__", StringComparison.OrdinalIgnoreCase)).ToList())
                info.Environment.Remove(inherited);
        foreach (var (key, value) in _settings) info.Environment[key] = value;
        var process = Process.Start(info)!;
        // Drained continuously, or a full pipe would block the panel.
        process.OutputDataReceived += (_, e) =>
        {
            Append(e.Data);
            if (e.Data is not null && standardOutput is not null) lock (standardOutput) standardOutput.Add(e.Data);
        };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // Idempotent: a caller may end the panel early and still hold it in an await using.
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}
