using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Traffic;

/// <summary>How a drain ended, in words for the deployment timeline.</summary>
/// <param name="Idle">No connection was left (false: the longest wait ran out, or connections could not be read).</param>
public sealed record DrainOutcome(bool Idle, TimeSpan Took, string Detail);

/// <summary>
/// Waits until a replica taken out of rotation has finished its work: no connection left on its ports, read from the
/// kernel's table inside the container (exec), bounded by the longest wait. Measured, not guessed: a replica that is
/// idle at once is stopped at once.
/// </summary>
public sealed class ReplicaDrain(IContainerExec exec, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<DrainOutcome> WaitIdleAsync(NodeDefinition node, string containerId, IReadOnlySet<int> ports, TimeSpan longest, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        if (ports.Count == 0) return new DrainOutcome(true, TimeSpan.Zero, "the replica has no port to drain");
        var idleBefore = false;
        while (true)
        {
            int open;
            try
            {
                open = await CountAsync(node, containerId, ports, cancellationToken);
            }
            catch (ControlPanelException ex) when (ex is not ContainerNotFoundException)
            {
                // No cat, no /proc, or the engine refused the exec: wait the longest instead, as a fixed drain would.
                await Task.Delay(Remaining(started, longest), time, cancellationToken);
                return new DrainOutcome(false, time.GetElapsedTime(started), $"connections could not be read ({ex.Message}); waited the full {longest.TotalSeconds:0.#} s");
            }
            var took = time.GetElapsedTime(started);
            // Idle on two reads in a row: a proxy's reload is asynchronous, and an old worker may still hand the replica
            // one more request just after the first read.
            if (open == 0 && idleBefore) return new DrainOutcome(true, took, $"idle after {took.TotalSeconds:0.00} s");
            idleBefore = open == 0;
            if (took >= longest)
                return open == 0 ? new DrainOutcome(true, took, $"idle after {took.TotalSeconds:0.00} s")
                    : new DrainOutcome(false, took, $"{open} connection(s) still open after {longest.TotalSeconds:0.#} s; stopping anyway");
            await Task.Delay(Poll < Remaining(started, longest) ? Poll : Remaining(started, longest), time, cancellationToken);
        }
    }

    private async Task<int> CountAsync(NodeDefinition node, string containerId, IReadOnlySet<int> ports, CancellationToken cancellationToken)
    {
        // tcp6 may be missing (IPv6 off): cat still prints tcp and exits non-zero, so the output counts, not the code.
        var result = await exec.RunAsync(node, containerId, ["cat", "/proc/net/tcp", "/proc/net/tcp6"], cancellationToken);
        if (!result.Output.Contains("local_address", StringComparison.Ordinal))
            throw new RotationFailedException($"cat /proc/net/tcp printed no table (exit {result.ExitCode}): {result.Output.Trim()}");
        return TcpConnectionTable.CountServing(result.Output, ports);
    }

    private TimeSpan Remaining(long started, TimeSpan longest)
    {
        var left = longest - time.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
