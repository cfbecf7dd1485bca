using System.Diagnostics;

namespace ControlPanel.Bench;

/// <summary>The docker CLI against one lab node's endpoint, as the baseline script uses it.</summary>
public static class DockerCli
{
    /// <summary>Runs docker -H endpoint args; returns its output, or throws with its error.</summary>
    public static async Task<string> RunAsync(string endpoint, IEnumerable<string> args, string? input = null) =>
        await RunProcessAsync("docker", ["-H", endpoint, .. args], input);

    public static async Task<string> RunProcessAsync(string program, IEnumerable<string> args, string? input = null)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? (await output).Trim()
            : throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {(await error).Trim()}");
    }

    /// <summary>Removes every container with the label on the endpoint.</summary>
    public static async Task RemoveLabelledAsync(string endpoint, string label)
    {
        var ids = await RunAsync(endpoint, ["ps", "-aq", "--filter", $"label={label}"]);
        if (ids.Length > 0) await RunAsync(endpoint, ["rm", "-f", .. ids.Split('\n', StringSplitOptions.RemoveEmptyEntries)]);
    }
}
