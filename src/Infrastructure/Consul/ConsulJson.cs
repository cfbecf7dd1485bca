using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Discovery;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>The JSON shapes of Consul's answers and requests (PascalCase, as in its API docs), and their mapping to Core's records.</summary>
internal static class ConsulJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public sealed record NodeDto(string? ID, string? Node, string? Address, string? Datacenter, Dictionary<string, string>? Meta);

    public sealed record CatalogServiceDto(
        string? Node, string? Address, string? ServiceID, string? ServiceName, string? ServiceAddress, int ServicePort,
        List<string>? ServiceTags, Dictionary<string, string>? ServiceMeta);

    public sealed record AgentServiceDto(string? ID, string? Service, string? Address, int Port, List<string>? Tags, Dictionary<string, string>? Meta);

    public sealed record CheckDto(string? CheckID, string? Name, string? Status, string? Output, string? ServiceID);

    public sealed record ServiceEntryDto(NodeDto? Node, AgentServiceDto? Service, List<CheckDto>? Checks);

    public sealed record RegistrationDto(
        string ID, string Name, string Address, int Port, IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> Meta, CheckDefinitionDto? Check);

    public sealed record CheckDefinitionDto(
        string CheckID, string Name, string? HTTP, string? TCP, string? TTL, string? Interval, string? Timeout, string? DeregisterCriticalServiceAfter, string? Status);

    public static CatalogNode ToNode(NodeDto n) =>
        new(n.ID ?? "", n.Node ?? "", n.Address ?? "", n.Datacenter ?? "", n.Meta ?? []);

    public static CatalogServiceInstance ToInstance(CatalogServiceDto s) =>
        new(s.Node ?? "", s.Address ?? "", s.ServiceID ?? "", s.ServiceName ?? "",
            string.IsNullOrEmpty(s.ServiceAddress) ? s.Address ?? "" : s.ServiceAddress, s.ServicePort, s.ServiceTags ?? [], s.ServiceMeta ?? []);

    public static ServiceHealth ToHealth(ServiceEntryDto e)
    {
        var node = ToNode(e.Node ?? new NodeDto(null, null, null, null, null));
        var s = e.Service ?? new AgentServiceDto(null, null, null, 0, null, null);
        var service = new CatalogServiceInstance(node.Name, node.Address, s.ID ?? "", s.Service ?? "",
            string.IsNullOrEmpty(s.Address) ? node.Address : s.Address, s.Port, s.Tags ?? [], s.Meta ?? []);
        var checks = (e.Checks ?? []).Select(c => new HealthCheckResult(c.CheckID ?? "", c.Name ?? "", ToStatus(c.Status), c.Output ?? "", c.ServiceID ?? "")).ToList();
        return new ServiceHealth(node, service, checks);
    }

    /// <summary>Anything Consul reports that is not passing or warning (critical, maintenance, unknown) counts as critical.</summary>
    public static CheckStatus ToStatus(string? status) => status switch
    {
        "passing" => CheckStatus.Passing,
        "warning" => CheckStatus.Warning,
        _ => CheckStatus.Critical,
    };

    public static RegistrationDto ToDto(ServiceRegistration r) =>
        new(r.Id, r.Name, r.Address, r.Port, r.Tags, r.Meta, r.Check is { } c
            ? new CheckDefinitionDto(c.Id, c.Name, c.Http, c.Tcp, Duration(c.Ttl), Duration(c.Interval), Duration(c.Timeout), Duration(c.DeregisterCriticalAfter), c.Status?.ToString().ToLowerInvariant())
            : null);

    /// <summary>A Go duration string as Consul's docs write them ("90m", "10s"); anything finer than a second in milliseconds.</summary>
    public static string? Duration(TimeSpan? value) => value switch
    {
        null => null,
        { Ticks: > 0 } v when v.Ticks % TimeSpan.TicksPerHour == 0 => $"{(long)v.TotalHours}h",
        { Ticks: > 0 } v when v.Ticks % TimeSpan.TicksPerMinute == 0 => $"{(long)v.TotalMinutes}m",
        { } v when v.Ticks % TimeSpan.TicksPerSecond == 0 => $"{(long)v.TotalSeconds}s",
        { } v => $"{(long)Math.Ceiling(v.TotalMilliseconds)}ms",
    };
}
