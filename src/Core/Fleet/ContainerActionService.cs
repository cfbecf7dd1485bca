using System.Diagnostics;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Security;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// Start, stop, restart, kill and remove, for pages and API alike: validates the request, runs it on
/// the node, and records every attempt — failed ones too — in the audit log.
/// </summary>
public sealed class ContainerActionService(
    FleetService fleet,
    IContainerEngine engine,
    IAuditLog audit,
    ICurrentActor actor,
    TimeProvider time,
    ILogger<ContainerActionService> logger)
{
    public async Task<ContainerActionResult> RunAsync(string nodeName, string containerId, ContainerActionRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var who = await actor.GetAsync(cancellationToken);
        var entry = Entry(who, time.GetUtcNow(), nodeName, containerId, request.Action);
        NodeDefinition node;
        TimeSpan? timeout;
        string? signal;
        try
        {
            // The server is the gate: pages hide what a role cannot do, and this refuses it anyway.
            if (!who.Can(Permission.OperateContainers)) throw new PermissionDeniedException(Permission.OperateContainers, who.Name);
            // Validation first: a bad request reaches no engine.
            timeout = StopSignals.ValidateTimeout(request.TimeoutSeconds);
            signal = request.Action == ContainerAction.Kill ? StopSignals.NormalizeSignal(request.Signal) : null;
            entry = entry with { Detail = Describe(request, timeout, signal) };
            node = fleet.RequireNode(nodeName);
        }
        catch (ControlPanelException ex)
        {
            await RecordRefusalAsync(entry with { Error = ex.Message, Duration = clock.Elapsed });
            throw;
        }
        // Recorded before the engine is asked: an action nobody could audit is not carried out.
        var id = await BeginAsync(entry, cancellationToken);
        try
        {
            var killed = await ExecuteAsync(node, containerId, request, timeout, signal, cancellationToken);
            clock.Stop();
            var detail = killed is null ? entry.Detail : entry.Detail is null ? killed.ToString() : $"{entry.Detail}; {killed}";
            await CompleteAsync(id, entry with { Succeeded = true, Duration = clock.Elapsed, Detail = detail });
            var after = request.Action == ContainerAction.Remove ? null
                : await TryFindAsync(node, containerId, cancellationToken);
            return new ContainerActionResult(nodeName, containerId, request.Action, clock.Elapsed, after, killed);
        }
        catch (ControlPanelException ex)
        {
            await CompleteAsync(id, entry with { Error = ex.Message, Duration = clock.Elapsed });
            throw;
        }
        catch (Exception ex)
        {
            // Also an attempt whose caller went away mid-call (page closed, client disconnected): the engine
            // may have carried it out, so the outcome says it is unknown.
            var error = ex is OperationCanceledException
                ? "cancelled before the engine answered; the outcome is unknown (check the container's state)"
                : $"unexpected error ({ex.GetType().Name}); the outcome is unknown (check the container's state)";
            await CompleteAsync(id, entry with { Error = error, Duration = clock.Elapsed });
            throw;
        }
    }

    /// <summary>Runs the action; a stop or restart that had to kill says why it most likely did.</summary>
    private async Task<StopDiagnosis?> ExecuteAsync(NodeDefinition node, string id, ContainerActionRequest request, TimeSpan? timeout, string? signal, CancellationToken ct)
    {
        switch (request.Action)
        {
            case ContainerAction.Start: await engine.StartAsync(node, id, ct); return null;
            case ContainerAction.Stop: return await engine.StopAndDiagnoseAsync(node, id, timeout, ct);
            case ContainerAction.Restart:
                // Stop, then start, as the engine's restart does; done here because a started container's exit code
                // is reset, and it is the only sign that the stop had to kill.
                var killed = await engine.StopAndDiagnoseAsync(node, id, timeout, ct);
                await engine.StartAsync(node, id, ct);
                return killed;
            case ContainerAction.Kill: await engine.KillAsync(node, id, signal!, ct); return null;
            case ContainerAction.Remove: await engine.RemoveAsync(node, id, request.Force, ct); return null;
            default: throw new InvalidRequestException("action", $"Unknown action '{request.Action}'.");
        }
    }

    private async Task<ContainerSummary?> TryFindAsync(NodeDefinition node, string id, CancellationToken ct)
    {
        try
        {
            return await engine.FindContainerAsync(node, id, ct);
        }
        catch (Exception ex) when (ex is ControlPanelException or OperationCanceledException)
        {
            return null; // the action itself succeeded (and is audited); its result does not depend on this read
        }
    }

    private static string? Describe(ContainerActionRequest r, TimeSpan? timeout, string? signal) => r.Action switch
    {
        ContainerAction.Stop or ContainerAction.Restart => timeout is { } t ? $"timeout={t.TotalSeconds:0}s" : "timeout=container default",
        ContainerAction.Kill => $"signal={signal}",
        ContainerAction.Remove => $"force={r.Force.ToString().ToLowerInvariant()}",
        _ => null,
    };

    private static AuditEntry Entry(Actor who, DateTimeOffset at, string node, string target, ContainerAction action) => new()
    {
        At = at,
        Actor = who.Name,
        ClientAddress = who.ClientAddress,
        Action = "container." + action.ToString().ToLowerInvariant(),
        Node = node,
        Target = target,
        Succeeded = false,
        Duration = TimeSpan.Zero,
    };

    private async Task<long> BeginAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await audit.BeginAsync(entry, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not record audit entry for {Action} on {Node}/{Target}; the action is refused", entry.Action, entry.Node, entry.Target);
            throw new AuditLogUnavailableException(entry.Action, ex);
        }
    }

    private async Task CompleteAsync(long id, AuditEntry outcome)
    {
        try
        {
            // Not the caller's token: an action that happened is recorded even if the page went away.
            await audit.CompleteAsync(id, outcome, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The action has happened; its pending entry stays in the log and says the outcome was not recorded.
            logger.LogError(ex, "Could not record the outcome of audit entry {Id} ({Action} on {Node}/{Target}, succeeded: {Succeeded})", id, outcome.Action, outcome.Node, outcome.Target, outcome.Succeeded);
        }
    }

    private async Task RecordRefusalAsync(AuditEntry entry)
    {
        try
        {
            await audit.RecordAsync(entry, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record audit entry for {Action} on {Node}/{Target}", entry.Action, entry.Node, entry.Target);
            throw;
        }
    }
}
