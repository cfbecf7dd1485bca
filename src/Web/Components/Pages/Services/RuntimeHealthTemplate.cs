using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;

namespace ControlPanel.Web.Components.Pages.Services;

/// <summary>
/// Sets the health check of a runtime spec being edited as JSON: the kind, and the probe that kind needs with its
/// fields filled in (the spec's first port, PHP-FPM's /ping and pong), other kinds' probes removed. So the editor
/// offers every kind with its fields without anyone looking them up; saving still validates them.
/// </summary>
public static class RuntimeHealthTemplate
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly Dictionary<HealthKind, string> ProbeFields = new()
    {
        [HealthKind.Http] = "httpProbe",
        [HealthKind.Tcp] = "tcpProbe",
        [HealthKind.FastCgi] = "fastCgiProbe",
    };

    /// <summary>The spec's health kind as written, or null when the JSON does not say a known one.</summary>
    public static HealthKind? Current(string? json)
    {
        try
        {
            return JsonNode.Parse(json ?? "")?["health"]?.GetValue<string>() is { } kind && Enum.TryParse<HealthKind>(kind, ignoreCase: true, out var parsed) ? parsed : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The JSON with health set to <paramref name="kind"/>; a probe of that kind already there is kept as it is.</summary>
    /// <exception cref="InvalidRequestException">The JSON is not an object.</exception>
    public static string With(string? json, HealthKind kind)
    {
        var spec = Parse(json, "choosing a health check");
        spec["health"] = kind.ToString();
        foreach (var field in ProbeFields.Where(p => p.Key != kind).Select(p => p.Value)) spec.Remove(field);
        if (ProbeFields.TryGetValue(kind, out var probe) && spec[probe] is null) spec[probe] = Probe(kind, FirstPortName(spec));
        return spec.ToJsonString(Indented);
    }

    /// <summary>The spec being edited as an object, to set a member of; <paramref name="doing"/> says what for in the error.</summary>
    /// <exception cref="InvalidRequestException">The JSON is not an object.</exception>
    internal static JsonObject Parse(string? json, string doing)
    {
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json) as JsonObject
                ?? throw new InvalidRequestException("runtime", $"The runtime spec must be a JSON object before {doing}.");
        }
        catch (JsonException ex)
        {
            throw new InvalidRequestException("runtime", $"Fix the runtime spec's JSON before {doing}: {ex.Message}");
        }
    }

    private static string? FirstPortName(JsonObject spec) =>
        spec["ports"] is JsonArray { Count: > 0 } ports && ports[0]?["name"] is JsonValue name && name.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A probe with every field written out: the spec's first port by name, or when it has none port 8080 for HTTP and 9000 (PHP-FPM's usual) otherwise.</summary>
    private static JsonObject Probe(HealthKind kind, string? portName)
    {
        var probe = kind switch
        {
            HealthKind.Http => new JsonObject { ["path"] = "/health" },
            HealthKind.FastCgi => new JsonObject { ["path"] = "/ping", ["response"] = "pong" },
            _ => new JsonObject(),
        };
        if (portName is not null) probe["portName"] = portName;
        else probe["port"] = kind == HealthKind.Http ? 8080 : 9000;
        probe["timeoutSeconds"] = 2;
        return probe;
    }
}
