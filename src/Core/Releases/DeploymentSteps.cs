using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <summary>What a step acts on, each in its own field of the stored step.</summary>
public readonly record struct StepSubject(string? Image = null, string? ContainerName = null, string? ContainerId = null);

/// <summary>
/// Stores each step of a deployment before its Docker side effect and its duration (or failure) after, and tells
/// the deployment's viewers. A step still running after its limit is abandoned and fails: a hung engine must not
/// hold the deployment forever.
/// </summary>
public sealed class DeploymentSteps(IReleaseStore store, DeploymentChanges changes, TimeProvider time)
{
    /// <summary>A step that is over as soon as it is stored (a node that could not be read).</summary>
    public async Task RecordAsync(Deployment deployment, NodeDefinition node, int? slot, DeploymentStepAction action, string? detail, bool failed)
    {
        await store.AddStepAsync(deployment.Id, new DeploymentStep(0, node.Name, slot, action, time.GetUtcNow(), TimeSpan.Zero, null, null, null, detail, failed), CancellationToken.None);
        changes.Changed(deployment.Id);
    }

    public async Task RunAsync(Deployment deployment, NodeDefinition node, int? slot, DeploymentStepAction action, StepSubject subject, TimeSpan limit, Func<CancellationToken, Task> run) =>
        await RunAsync<bool>(deployment, node, slot, action, subject, limit, async ct => { await run(ct); return true; });

    /// <summary>Runs one step. A step that returns a string made a container: that is its id. <paramref name="detailOf"/> words what a step found (how long a drain took).</summary>
    public async Task<T> RunAsync<T>(Deployment deployment, NodeDefinition node, int? slot, DeploymentStepAction action, StepSubject subject, TimeSpan limit,
        Func<CancellationToken, Task<T>> run, Func<T, string?>? detailOf = null)
    {
        var step = await store.AddStepAsync(deployment.Id,
            new DeploymentStep(0, node.Name, slot, action, time.GetUtcNow(), null, subject.Image, subject.ContainerName, subject.ContainerId, null), CancellationToken.None);
        changes.Changed(deployment.Id);
        var started = time.GetTimestamp();
        using var deadline = new CancellationTokenSource(limit, time);
        try
        {
            var result = await run(deadline.Token);
            await store.FinishStepAsync(step.Id, time.GetElapsedTime(started), false, detailOf?.Invoke(result), result as string, CancellationToken.None);
            changes.Changed(deployment.Id);
            return result;
        }
        catch (Exception ex) when (ex is ControlPanelException || (ex is OperationCanceledException && deadline.IsCancellationRequested))
        {
            var failure = ex as ControlPanelException
                ?? new ReplicaFailedException($"node '{node.Name}' did not finish '{action.Name()}' within {limit.TotalSeconds:0} s; its engine may be hung");
            await store.FinishStepAsync(step.Id, time.GetElapsedTime(started), true, failure.Message, null, CancellationToken.None);
            changes.Changed(deployment.Id);
            throw failure;
        }
    }
}
