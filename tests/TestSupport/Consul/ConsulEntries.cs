namespace ControlPanel.TestSupport.Consul;

/// <summary>Check states as Consul names them.</summary>
public static class CheckStatus
{
    public const string Passing = "passing";
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static bool IsValid(string? status) => status is Passing or Warning or Critical;
}

internal sealed class NodeEntry
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Address { get; set; }
    public Dictionary<string, string> TaggedAddresses { get; set; } = [];
    public Dictionary<string, string> Meta { get; set; } = [];
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; set; }
}

internal sealed class ServiceEntry
{
    public required string Node { get; init; }
    public required string Id { get; init; }
    public required string Name { get; set; }
    public List<string> Tags { get; set; } = [];
    public string Address { get; set; } = "";
    public int Port { get; set; }
    public Dictionary<string, string> Meta { get; set; } = [];
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; set; }
}

internal sealed class CheckEntry
{
    public required string Node { get; init; }
    public required string CheckId { get; init; }
    public required string Name { get; set; }
    public string Status { get; set; } = CheckStatus.Critical;
    public string Notes { get; set; } = "";
    public string Output { get; set; } = "";
    public string ServiceId { get; set; } = "";
    public string ServiceName { get; set; } = "";
    public List<string> ServiceTags { get; set; } = [];
    public string Type { get; set; } = "";

    // What the agent runs; null for catalog-only entries, which nobody runs.
    public string? Http { get; set; }
    public string HttpMethod { get; set; } = "GET";
    public string? Tcp { get; set; }
    public TimeSpan? Ttl { get; set; }
    public TimeSpan Interval { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan? DeregisterCriticalServiceAfter { get; set; }

    public DateTimeOffset TtlDeadline { get; set; }
    public DateTimeOffset? CriticalSince { get; set; }
    public DateTimeOffset NextRun { get; set; }
    public bool Running { get; set; }

    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; set; }
}
