using ControlPanel.Core.Audit;
using ControlPanel.Core.Builds;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A phase's start is stored in the background: a slow database write holds no phase, and the build's outcome is
/// stored after every earlier write, never overwritten by one of them.
/// </summary>
public sealed class BuildRecordWritesTests : BuildTestBase
{
    public override async Task InitializeAsync()
    {
        Factory.ConfigureServices = services =>
        {
            // Around the app's own store (the database's, with the timeline's recording).
            var registered = services.Last(d => d.ServiceType == typeof(IBuildStore));
            services.Remove(registered);
            services.AddSingleton(sp => new HeldBuildStore((IBuildStore)registered.ImplementationFactory!(sp)));
            services.AddSingleton<IBuildStore>(sp => sp.GetRequiredService<HeldBuildStore>());
        };
        await base.InitializeAsync();
    }

    [Fact]
    public async Task WhileAPhaseStartWaitsToBeStored_TheBuildGoesOn_AndItsOutcomeIsStoredLast()
    {
        Repo.Write("Dockerfile", Dockerfile("RUN echo held")).Commit("x");
        await DefineServiceAsync($"held-{Unique}");
        var held = Factory.Services.GetRequiredService<HeldBuildStore>();
        held.HoldStartOf(BuildPhaseKind.Context);

        var build = await StartAsync($"held-{Unique}");
        await held.Holding.WaitAsync(TimeSpan.FromSeconds(60));
        // The write of the context phase's start is held: the build still builds and reaches its push.
        await LabContainers.WaitUntilAsync(async () => (await GetAsync(build.Id)).Phases.Any(p => p.Kind == BuildPhaseKind.Push),
            TimeSpan.FromSeconds(120), "the push phase to start while a write is held");
        Assert.False((await GetAsync(build.Id)).IsFinished, "the outcome was shown before the writes before it were stored");
        held.Release();

        var done = await WaitForEndAsync(build.Id);
        var stored = await held.FindAsync(build.Id, CancellationToken.None);
        Assert.Equal(BuildStatus.Succeeded, done.Status);
        Assert.Equal(BuildStatus.Succeeded, stored!.Status);
        Assert.Equal([BuildPhaseKind.Fetch, BuildPhaseKind.Context, BuildPhaseKind.Build, BuildPhaseKind.Push], stored.Phases.Select(p => p.Kind));
        Assert.All(stored.Phases, p => Assert.NotNull(p.Duration));
        Assert.NotNull(stored.Digest);
    }
}

/// <summary>The real build store; can hold the write of one phase's start until released.</summary>
public sealed class HeldBuildStore(IBuildStore inner) : IBuildStore
{
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BuildPhaseKind? _held;

    /// <summary>Completes once the held write waits.</summary>
    public Task Holding => _holding.Task;

    public void HoldStartOf(BuildPhaseKind phase) => _held = phase;

    public void Release() => _released.TrySetResult();

    public async Task UpdateAsync(Build build, CancellationToken cancellationToken)
    {
        if (!build.IsFinished && build.Phases.LastOrDefault() is { Duration: null } running && running.Kind == _held)
        {
            _holding.TrySetResult();
            await _released.Task;
        }
        await inner.UpdateAsync(build, cancellationToken);
    }

    public Task AddAsync(Build build, AuditEntry audit, CancellationToken ct) => inner.AddAsync(build, audit, ct);
    public Task<Build?> FindAsync(Guid id, CancellationToken ct) => inner.FindAsync(id, ct);
    public Task<IReadOnlyList<Build>> ListAsync(string? service, int limit, CancellationToken ct) => inner.ListAsync(service, limit, ct);
    public Task<Build?> FindReusableAsync(string service, string fingerprint, string sha, CancellationToken ct) => inner.FindReusableAsync(service, fingerprint, sha, ct);
    public Task<IReadOnlyList<Build>> FindByDigestsAsync(IReadOnlyCollection<string> digests, CancellationToken ct) => inner.FindByDigestsAsync(digests, ct);
    public Task TouchAsync(Guid id, DateTimeOffset at, CancellationToken ct) => inner.TouchAsync(id, at, ct);
    public Task<int> MarkInterruptedAsync(DateTimeOffset before, IReadOnlyCollection<Guid> alive, CancellationToken ct) => inner.MarkInterruptedAsync(before, alive, ct);
    public Task SaveLogAsync(Guid id, string fullLog, int keptTail, CancellationToken ct) => inner.SaveLogAsync(id, fullLog, keptTail, ct);
    public Task<string?> ReadLogAsync(Guid id, CancellationToken ct) => inner.ReadLogAsync(id, ct);
}
