namespace ControlPanel.TestSupport.Consul;

/// <summary>
/// The catalog every agent of the stand-in shares, as the servers would hold it: nodes, services and checks, with a
/// raft-like index that grows on every write. Each write stamps the tables it touched (all nodes, all services, one
/// service name, one node) so a blocking query wakes for changes to what it watches, as Consul's per-table indexes do.
/// </summary>
internal sealed partial class ConsulState(string datacenter, TimeProvider time)
{
    public const string SerfHealth = "serfHealth";
    public const string MaintenancePrefix = "_service_maintenance:";
    public const string DefaultMaintenanceReason =
        "Maintenance mode is enabled for this service, but no reason was provided. This is a default message.";

    private readonly object _gate = new();
    private readonly Dictionary<string, NodeEntry> _nodes = new(StringComparer.Ordinal);
    private readonly List<ServiceEntry> _services = [];
    private readonly List<CheckEntry> _checks = [];
    private readonly Dictionary<string, ulong> _tableIndexes = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong _index = 1;

    public string Datacenter { get; } = datacenter;

    public ulong Index { get { lock (_gate) return _index; } }

    /// <summary>Runs a read under the lock and returns with it the signal of the next write.</summary>
    public (T Result, Task NextWrite) Read<T>(Func<T> read)
    {
        lock (_gate) return (read(), _changed.Task);
    }

    public ulong TableIndex(params string[] tables)
    {
        lock (_gate) return Math.Max(1, tables.Max(t => _tableIndexes.GetValueOrDefault(t)));
    }

    public static string ServiceTable(string name) => "service/" + name;

    public static string NodeTable(string name) => "node/" + name;

    /// <summary>An agent joining: its node enters the catalog with a passing <c>serfHealth</c> check.</summary>
    public void JoinAgent(string node, string address)
    {
        lock (_gate)
        {
            var index = Write();
            UpsertNode(index, new CatalogRegistration { Node = node, Address = address });
            var serf = FindCheck(node, SerfHealth) ?? AddCheck(index, node, SerfHealth, "Serf Health Status");
            SetStatus(index, serf, CheckStatus.Passing, "Agent alive and reachable");
        }
    }

    /// <summary>Sets a check's status as if the agent ran it; false when the node has no such check.</summary>
    public bool SetCheck(string node, string checkId, string status, string output)
    {
        lock (_gate)
        {
            var check = FindCheck(node, checkId);
            if (check is null) return false;
            SetStatus(Write(), check, status, output);
            return true;
        }
    }

    public IReadOnlyList<CheckEntry> ChecksToRun(DateTimeOffset now)
    {
        lock (_gate)
        {
            var due = _checks.Where(c => !c.Running && (c.Http is not null || c.Tcp is not null) && c.NextRun <= now).ToList();
            foreach (var check in due) check.Running = true;
            return due;
        }
    }

    public void Ran(CheckEntry check, string status, string output)
    {
        lock (_gate)
        {
            check.Running = false;
            check.NextRun = time.GetUtcNow() + check.Interval;
            if (_checks.Contains(check) && (check.Status != status || check.Output != output)) SetStatus(Write(), check, status, output);
        }
    }

    /// <summary>Expires TTL checks not updated in time and reaps services critical longer than their checks allow.</summary>
    public void ExpireAndReap(DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var check in _checks.Where(c => c.Ttl is not null && c.TtlDeadline <= now && c.Status != CheckStatus.Critical).ToList())
                SetStatus(Write(), check, CheckStatus.Critical, "TTL expired");
            var reaped = _checks
                .Where(c => c.DeregisterCriticalServiceAfter is { } after && c.CriticalSince is { } since && now - since >= after)
                .Select(c => (c.Node, c.ServiceId)).Distinct().ToList();
            foreach (var (node, serviceId) in reaped) RemoveService(Write(), node, serviceId);
        }
    }

    private ulong Write()
    {
        _index++;
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
        return _index;
    }

    private void Touch(ulong index, params string[] tables)
    {
        foreach (var table in tables) _tableIndexes[table] = index;
    }

    private void TouchService(ulong index, string node, string serviceName) =>
        Touch(index, "services", ServiceTable(serviceName), NodeTable(node));

    private CheckEntry? FindCheck(string node, string checkId) =>
        _checks.FirstOrDefault(c => c.Node == node && c.CheckId == checkId);

    private ServiceEntry? FindService(string node, string serviceId) =>
        _services.FirstOrDefault(s => s.Node == node && s.Id == serviceId);

    private CheckEntry AddCheck(ulong index, string node, string checkId, string name)
    {
        var check = new CheckEntry
        {
            Node = node, CheckId = checkId, Name = name, CreateIndex = index, ModifyIndex = index, CriticalSince = time.GetUtcNow(),
        };
        _checks.Add(check);
        Touch(index, NodeTable(node));
        return check;
    }

    private void SetStatus(ulong index, CheckEntry check, string status, string output)
    {
        if (status == CheckStatus.Critical && check.Status != CheckStatus.Critical) check.CriticalSince = time.GetUtcNow();
        if (status != CheckStatus.Critical) check.CriticalSince = null;
        check.Status = status;
        check.Output = output;
        check.ModifyIndex = index;
        TouchCheck(index, check);
    }

    private void TouchCheck(ulong index, CheckEntry check)
    {
        Touch(index, NodeTable(check.Node));
        if (check.ServiceId.Length > 0) Touch(index, ServiceTable(check.ServiceName));
        else foreach (var service in _services.Where(s => s.Node == check.Node)) Touch(index, ServiceTable(service.Name));
    }

    private void RemoveService(ulong index, string node, string serviceId)
    {
        var service = FindService(node, serviceId);
        if (service is null) return;
        _services.Remove(service);
        _checks.RemoveAll(c => c.Node == node && c.ServiceId == serviceId);
        TouchService(index, node, service.Name);
    }
}
