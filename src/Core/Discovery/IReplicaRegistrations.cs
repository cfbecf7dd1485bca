using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Discovery;

/// <summary>What a service catalog (Consul) says of a service's replicas, for the service page beside Docker's view.</summary>
public interface IReplicaRegistrations
{
    /// <summary>
    /// Whether replicas of a service running under <paramref name="spec"/> are registered at all (Consul configured,
    /// the spec does not opt out).
    /// </summary>
    bool Registers(RuntimeSpec spec);

    /// <summary>
    /// The first view, then one per change (a blocking query), and one per failure keeping the last view with the
    /// reason. Runs until <paramref name="cancellationToken"/> is cancelled, which ends it with OperationCanceledException.
    /// </summary>
    IAsyncEnumerable<RegistrationView> WatchAsync(string service, RuntimeSpec spec, CancellationToken cancellationToken);
}

/// <summary>The catalog's view: per container ID, its registration; <see cref="Error"/> set while the catalog cannot be read.</summary>
public sealed record RegistrationView(IReadOnlyDictionary<string, ReplicaRegistration> ByContainer, string? Error);

/// <summary>One replica as the catalog lists it: the worst of its checks, with their output.</summary>
public sealed record ReplicaRegistration(string ServiceId, CheckStatus Status, string Output);
