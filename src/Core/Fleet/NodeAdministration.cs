using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;

namespace ControlPanel.Core.Fleet;

/// <summary>A stored node still runs the panel's replicas; names the services.</summary>
public sealed class NodeInUseException(string node, IReadOnlyList<string> services)
    : ControlPanelException($"Node '{node}' still runs replicas of {string.Join(", ", services)}; deploy them elsewhere or remove them first.")
{
    public string Node { get; } = node;
    public IReadOnlyList<string> Services { get; } = services;
}

/// <summary>A stored node removed; <paramref name="ReplicaCheck"/> says what the panel found on its engine first.</summary>
public sealed record NodeRemoval(string Name, string Endpoint, string ReplicaCheck);

/// <summary>
/// Adding, changing and removing the nodes an Admin keeps in the panel. Every save is preceded by a connection test:
/// a node the panel cannot reach is refused with the engine's own words, and nothing is stored.
/// </summary>
public sealed class NodeAdministration(INodeStore store, INodeDirectory directory, IContainerEngine engine, ISecretProtector protector,
    IAuditLog audit, ICurrentActor actor, TimeProvider time)
{
    /// <summary>Short on purpose: the Admin waits for it, and an engine that needs longer is not one to save.</summary>
    public static readonly TimeSpan ConnectionTestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Checks the request and asks the engine for its facts; saves nothing.</summary>
    public async Task<EngineInfo> TestAsync(NodeRequest request, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.Administer, cancellationToken);
        var node = NodeRequestValidation.ToDefinition(request, StoredTls(request.Name), protector);
        return await ConnectAsync(node, cancellationToken);
    }

    public async Task<NodeDefinition> AddAsync(NodeRequest request, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Administer, cancellationToken);
        var node = NodeRequestValidation.ToDefinition(request, null, protector);
        RefuseConfiguredName(node.Name);
        if (FindStored(node.Name) is not null)
            throw new InvalidRequestException("name", $"A stored node '{node.Name}' already exists; change it with PUT /api/nodes/{node.Name}.");
        return await TestAndSaveAsync(node, "node.add", who, cancellationToken);
    }

    public async Task<NodeDefinition> UpdateAsync(string name, NodeRequest request, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Administer, cancellationToken);
        RefuseConfiguredName(name);
        var existing = FindStored(name) ?? throw new NodeNotFoundException(name);
        if (request.Name is { Length: > 0 } renamed && renamed.Trim() != name)
            throw new InvalidRequestException("name", $"A node cannot be renamed (its replicas carry its name); remove '{name}' and add '{renamed}'.");
        var node = NodeRequestValidation.ToDefinition(request with { Name = name }, existing.Tls?.Stored, protector);
        return await TestAndSaveAsync(node, "node.edit", who, cancellationToken);
    }

    /// <summary>
    /// Refused while the node runs the panel's replicas (the services are named): they would keep running with nothing
    /// to stop or replace them. A node that cannot be asked is removed, since it may be gone for good.
    /// </summary>
    public async Task<NodeRemoval> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Administer, cancellationToken);
        RefuseConfiguredName(name);
        var node = FindStored(name) ?? throw new NodeNotFoundException(name);
        string replicas;
        try
        {
            var containers = await WithTestTimeout(node, ct => engine.ListContainersAsync(node, ct), cancellationToken);
            var running = containers.Select(c => c.Labels.GetValueOrDefault(ReplicaLabels.Service)).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
            if (running.Count > 0) throw new NodeInUseException(name, running);
            replicas = "no panel replicas";
        }
        catch (ControlPanelException ex) when (ex is EngineUnavailableException or EngineRefusedException)
        {
            replicas = $"replicas unknown ({ex.Message})";
        }
        var entry = Entry(who, "node.remove", node, replicas);
        if (!await store.RemoveAsync(name, entry, cancellationToken)) throw new NodeNotFoundException(name);
        return new NodeRemoval(name, node.Endpoint, replicas);
    }

    private async Task<NodeDefinition> TestAndSaveAsync(NodeDefinition node, string action, Actor who, CancellationToken cancellationToken)
    {
        EngineInfo info;
        try
        {
            info = await ConnectAsync(node, cancellationToken);
        }
        catch (InvalidRequestException ex)
        {
            await audit.RecordAsync(Entry(who, action, node, "connection test failed") with { Succeeded = false, Error = ex.Message }, cancellationToken);
            throw;
        }
        await store.SaveAsync(node, Entry(who, action, node, $"engine {info.Version} (API {info.ApiVersion})"), cancellationToken);
        return store.GetNodes().FirstOrDefault(n => n.Name == node.Name) ?? node;
    }

    private async Task<EngineInfo> ConnectAsync(NodeDefinition node, CancellationToken cancellationToken)
    {
        try
        {
            return await WithTestTimeout(node, ct => engine.GetInfoAsync(node, ct), cancellationToken);
        }
        catch (EngineUnavailableException ex)
        {
            throw new InvalidRequestException("endpoint", $"The connection test failed: {ex.Reason}");
        }
        catch (EngineRefusedException ex)
        {
            throw new InvalidRequestException("endpoint", $"The connection test failed: the engine said: {ex.EngineMessage}");
        }
    }

    private async Task<T> WithTestTimeout<T>(NodeDefinition node, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectionTestTimeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EngineUnavailableException(node.Name, $"no answer within {ConnectionTestTimeout.TotalSeconds:0} s");
        }
    }

    private void RefuseConfiguredName(string name)
    {
        if (directory.Find(name) is { Origin: NodeOrigin.Configured })
            throw new InvalidRequestException("name", $"Node '{name}' comes from the panel's configuration; change it there.");
    }

    private NodeDefinition? FindStored(string name) => store.GetNodes().FirstOrDefault(n => n.Name == name);

    private StoredNodeCertificates? StoredTls(string? name) => name is null ? null : FindStored(name.Trim())?.Tls?.Stored;

    // What was saved, never with key material: the certificate's subject and expiry say which one it is.
    private AuditEntry Entry(Actor who, string action, NodeDefinition node, string outcome) => new()
    {
        At = time.GetUtcNow(),
        Actor = who.Name,
        ClientAddress = who.ClientAddress,
        Action = action,
        Node = node.Name,
        Target = node.Name,
        Detail = $"{node.Endpoint} tls={(node.Tls?.Stored is { } tls ? $"'{tls.Subject}' until {tls.NotAfter:yyyy-MM-dd}" : "none")} labels={string.Join(",", node.Labels.Select(l => $"{l.Key}={l.Value}"))}; {outcome}",
        Succeeded = true,
        Duration = TimeSpan.Zero,
    };
}
