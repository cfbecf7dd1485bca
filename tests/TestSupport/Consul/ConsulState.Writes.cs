using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.TestSupport.Consul;

/// <summary>The writes behind the agent and catalog endpoints; each returns the error text Consul would send, or null.</summary>
internal sealed partial class ConsulState
{
    public enum CheckUpdate { Updated, UnknownCheck, NotTtl }

    public string? RegisterService(string node, AgentServiceRegistration registration, bool replaceExistingChecks)
    {
        if (string.IsNullOrEmpty(registration.Name)) return "Missing service name";
        var definitions = new List<AgentCheckDefinition>();
        if (registration.Check is not null) definitions.Add(registration.Check);
        definitions.AddRange(registration.Checks ?? []);
        foreach (var definition in definitions)
            if (CheckDefinitionError(definition) is { } error) return "Invalid check: " + error;

        var id = string.IsNullOrEmpty(registration.ID) ? registration.Name : registration.ID;
        lock (_gate)
        {
            var index = Write();
            var service = FindService(node, id);
            if (service is null)
            {
                service = new ServiceEntry { Node = node, Id = id, Name = registration.Name, CreateIndex = index };
                _services.Add(service);
            }
            else if (service.Name != registration.Name)
            {
                TouchService(index, node, service.Name);
                service.Name = registration.Name;
            }
            service.Tags = registration.Tags ?? [];
            service.Address = registration.Address ?? "";
            service.Port = registration.Port;
            service.Meta = registration.Meta ?? [];
            service.ModifyIndex = index;
            TouchService(index, node, service.Name);

            var kept = new HashSet<string>(StringComparer.Ordinal) { MaintenancePrefix + id };
            for (var i = 0; i < definitions.Count; i++)
            {
                var checkId = !string.IsNullOrEmpty(definitions[i].CheckID) ? definitions[i].CheckID!
                    : definitions.Count > 1 ? $"service:{id}:{i + 1}" : $"service:{id}";
                kept.Add(checkId);
                ApplyAgentCheck(index, service, checkId, definitions[i]);
            }
            if (replaceExistingChecks) _checks.RemoveAll(c => c.Node == node && c.ServiceId == id && !kept.Contains(c.CheckId));
            foreach (var check in _checks.Where(c => c.Node == node && c.ServiceId == id))
            {
                check.ServiceName = service.Name;
                check.ServiceTags = service.Tags;
            }
        }
        return null;
    }

    public void DeregisterService(string node, string serviceId)
    {
        lock (_gate)
            if (FindService(node, serviceId) is not null) RemoveService(Write(), node, serviceId);
    }

    /// <summary>Adds or removes the critical <c>_service_maintenance:ID</c> check, as the agent does; false for an unknown service.</summary>
    public bool SetMaintenance(string node, string serviceId, bool enable, string? reason)
    {
        lock (_gate)
        {
            var service = FindService(node, serviceId);
            if (service is null) return false;
            var checkId = MaintenancePrefix + serviceId;
            var existing = FindCheck(node, checkId);
            if (enable && existing is null)
            {
                var index = Write();
                var check = AddCheck(index, node, checkId, "Service Maintenance Mode");
                check.Notes = string.IsNullOrEmpty(reason) ? DefaultMaintenanceReason : reason;
                check.Type = "maintenance";
                check.ServiceId = service.Id;
                check.ServiceName = service.Name;
                check.ServiceTags = service.Tags;
                SetStatus(index, check, CheckStatus.Critical, "");
            }
            else if (!enable && existing is not null)
            {
                var index = Write();
                _checks.Remove(existing);
                TouchCheck(index, existing);
            }
            return true;
        }
    }

    /// <summary><c>PUT /v1/agent/check/pass|warn|fail/:check_id</c>: only TTL checks take a status from outside.</summary>
    public CheckUpdate UpdateTtl(string node, string checkId, string status, string note)
    {
        lock (_gate)
        {
            var check = FindCheck(node, checkId);
            if (check is null) return CheckUpdate.UnknownCheck;
            if (check.Ttl is not { } ttl) return CheckUpdate.NotTtl;
            check.TtlDeadline = time.GetUtcNow() + ttl;
            SetStatus(Write(), check, status, note);
            return CheckUpdate.Updated;
        }
    }

    public string? CatalogRegister(CatalogRegistration registration)
    {
        if (string.IsNullOrEmpty(registration.Node)) return "Must provide node";
        if (string.IsNullOrEmpty(registration.Address) && !registration.SkipNodeUpdate) return "Must provide address";
        if (registration.Service is { } s && string.IsNullOrEmpty(s.Service)) return "Must provide service name";
        var checks = new List<CatalogCheckDefinition>();
        if (registration.Check is not null) checks.Add(registration.Check);
        checks.AddRange(registration.Checks ?? []);
        if (checks.FirstOrDefault(c => c.Status is { Length: > 0 } && !CheckStatus.IsValid(c.Status)) is { } bad)
            return $"Invalid check status: \"{bad.Status}\"";
        lock (_gate)
        {
            var registeredId = registration.Service is { } r ? (string.IsNullOrEmpty(r.ID) ? r.Service : r.ID) : null;
            if (checks.FirstOrDefault(c => !string.IsNullOrEmpty(c.ServiceID) && c.ServiceID != registeredId
                    && FindService(registration.Node, c.ServiceID) is null) is { } orphan)
                return $"Unknown service ID '{orphan.ServiceID}' for check ID '{orphan.CheckID ?? orphan.Name}'";
            var index = Write();
            if (!registration.SkipNodeUpdate || !_nodes.ContainsKey(registration.Node)) UpsertNode(index, registration);
            if (registration.Service is { } serviceDefinition)
            {
                var definition = serviceDefinition;
                var id = string.IsNullOrEmpty(definition.ID) ? definition.Service! : definition.ID;
                var service = FindService(registration.Node, id);
                if (service is null)
                {
                    service = new ServiceEntry { Node = registration.Node, Id = id, Name = definition.Service!, CreateIndex = index };
                    _services.Add(service);
                }
                service.Name = definition.Service!;
                service.Tags = definition.Tags ?? [];
                service.Address = definition.Address ?? "";
                service.Port = definition.Port;
                service.Meta = definition.Meta ?? [];
                service.ModifyIndex = index;
                TouchService(index, registration.Node, service.Name);
            }
            foreach (var definition in checks)
            {
                var checkId = string.IsNullOrEmpty(definition.CheckID) ? definition.Name ?? "" : definition.CheckID;
                var service = string.IsNullOrEmpty(definition.ServiceID) ? null : FindService(registration.Node, definition.ServiceID);
                var check = FindCheck(registration.Node, checkId) ?? AddCheck(index, registration.Node, checkId, definition.Name ?? checkId);
                check.Name = definition.Name ?? checkId;
                check.Notes = definition.Notes ?? "";
                check.ServiceId = service?.Id ?? "";
                check.ServiceName = service?.Name ?? "";
                check.ServiceTags = service?.Tags ?? [];
                SetStatus(index, check, string.IsNullOrEmpty(definition.Status) ? CheckStatus.Critical : definition.Status, definition.Output ?? "");
            }
        }
        return null;
    }

    public string? CatalogDeregister(CatalogDeregistration deregistration)
    {
        if (string.IsNullOrEmpty(deregistration.Node)) return "Must provide node";
        var node = deregistration.Node;
        lock (_gate)
        {
            if (!_nodes.ContainsKey(node)) return null;
            var index = Write();
            if (!string.IsNullOrEmpty(deregistration.ServiceID)) RemoveService(index, node, deregistration.ServiceID);
            if (!string.IsNullOrEmpty(deregistration.CheckID) && FindCheck(node, deregistration.CheckID) is { } check)
            {
                _checks.Remove(check);
                TouchCheck(index, check);
            }
            if (string.IsNullOrEmpty(deregistration.ServiceID) && string.IsNullOrEmpty(deregistration.CheckID))
            {
                foreach (var service in _services.Where(s => s.Node == node).ToList()) RemoveService(index, node, service.Id);
                _checks.RemoveAll(c => c.Node == node);
                _nodes.Remove(node);
                Touch(index, "nodes", NodeTable(node));
            }
        }
        return null;
    }

    private void ApplyAgentCheck(ulong index, ServiceEntry service, string checkId, AgentCheckDefinition definition)
    {
        var now = time.GetUtcNow();
        var existing = FindCheck(service.Node, checkId);
        var check = existing ?? AddCheck(index, service.Node, checkId, "");
        check.Name = definition.Name ?? $"Service '{service.Name}' check";
        check.Notes = definition.Notes ?? "";
        check.ServiceId = service.Id;
        check.Http = definition.Http;
        check.HttpMethod = definition.Method ?? "GET";
        check.Tcp = definition.Tcp;
        check.Type = definition.Http is not null ? "http" : definition.Tcp is not null ? "tcp" : "ttl";
        check.Ttl = GoDuration.TryParse(definition.Ttl, out var ttl) && ttl > TimeSpan.Zero ? ttl : null;
        check.Interval = GoDuration.TryParse(definition.Interval, out var interval) ? interval : TimeSpan.Zero;
        if (GoDuration.TryParse(definition.Timeout, out var timeout) && timeout > TimeSpan.Zero) check.Timeout = timeout;
        check.DeregisterCriticalServiceAfter = GoDuration.TryParse(definition.DeregisterCriticalServiceAfter, out var after) && after > TimeSpan.Zero
            ? after : null;
        check.NextRun = now;
        check.TtlDeadline = now + (check.Ttl ?? TimeSpan.Zero);
        // A re-registered check keeps its state unless the definition names one; a new one starts as documented: critical.
        if (definition.Status is { Length: > 0 } status) SetStatus(index, check, status, "");
        else if (existing is null) SetStatus(index, check, CheckStatus.Critical, "");
        check.ModifyIndex = index;
    }

    private static string? CheckDefinitionError(AgentCheckDefinition definition)
    {
        if (definition.Status is { Length: > 0 } && !CheckStatus.IsValid(definition.Status)) return $"Status \"{definition.Status}\" is not passing, warning or critical";
        if (definition.Ttl is not null)
            return GoDuration.TryParse(definition.Ttl, out var ttl) && ttl > TimeSpan.Zero ? null : "TTL must be > 0 for TTL checks";
        if (definition.Http is null && definition.Tcp is null) return "the stand-in runs only HTTP, TCP and TTL checks";
        return GoDuration.TryParse(definition.Interval, out var interval) && interval > TimeSpan.Zero
            ? null : "Interval must be > 0 for Script, HTTP, H2PING, TCP or UDP checks";
    }

    private void UpsertNode(ulong index, CatalogRegistration registration)
    {
        var name = registration.Node!;
        if (!_nodes.TryGetValue(name, out var node))
        {
            var id = string.IsNullOrEmpty(registration.ID) ? new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16)).ToString() : registration.ID;
            node = new NodeEntry { Id = id, Name = name, Address = "", CreateIndex = index };
            _nodes[name] = node;
        }
        node.Address = registration.Address ?? node.Address;
        node.TaggedAddresses = registration.TaggedAddresses ?? new() { ["lan"] = node.Address, ["wan"] = node.Address };
        node.Meta = registration.NodeMeta ?? [];
        node.ModifyIndex = index;
        Touch(index, "nodes", NodeTable(name));
        foreach (var service in _services.Where(s => s.Node == name)) Touch(index, ServiceTable(service.Name));
    }
}
