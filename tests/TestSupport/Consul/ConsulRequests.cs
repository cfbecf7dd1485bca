using System.Text.Json.Serialization;

namespace ControlPanel.TestSupport.Consul;

// Request bodies as Consul's HTTP API documents them (PascalCase; Consul also accepts other casings, so the
// stand-in reads them case-insensitively). Only the fields the stand-in keeps are declared.

/// <summary>Body of <c>PUT /v1/agent/service/register</c>.</summary>
public sealed class AgentServiceRegistration
{
    public string? ID { get; set; }
    public string? Name { get; set; }
    public List<string>? Tags { get; set; }
    public string? Address { get; set; }
    public int Port { get; set; }
    public Dictionary<string, string>? Meta { get; set; }
    public AgentCheckDefinition? Check { get; set; }
    public List<AgentCheckDefinition>? Checks { get; set; }
}

/// <summary>A check inside a service registration (the agent check definition).</summary>
public sealed class AgentCheckDefinition
{
    public string? CheckID { get; set; }
    public string? Name { get; set; }
    public string? Notes { get; set; }
    public string? Status { get; set; }
    [JsonPropertyName("HTTP")] public string? Http { get; set; }
    public string? Method { get; set; }
    [JsonPropertyName("TCP")] public string? Tcp { get; set; }
    [JsonPropertyName("TTL")] public string? Ttl { get; set; }
    public string? Interval { get; set; }
    public string? Timeout { get; set; }
    public string? DeregisterCriticalServiceAfter { get; set; }
}

/// <summary>Body of <c>PUT /v1/catalog/register</c>.</summary>
public sealed class CatalogRegistration
{
    public string? ID { get; set; }
    public string? Node { get; set; }
    public string? Address { get; set; }
    public string? Datacenter { get; set; }
    public Dictionary<string, string>? TaggedAddresses { get; set; }
    public Dictionary<string, string>? NodeMeta { get; set; }
    public CatalogServiceDefinition? Service { get; set; }
    public CatalogCheckDefinition? Check { get; set; }
    public List<CatalogCheckDefinition>? Checks { get; set; }
    public bool SkipNodeUpdate { get; set; }
}

/// <summary>The <c>Service</c> of a catalog registration (named by <c>Service</c>, not <c>Name</c>).</summary>
public sealed class CatalogServiceDefinition
{
    public string? ID { get; set; }
    public string? Service { get; set; }
    public List<string>? Tags { get; set; }
    public string? Address { get; set; }
    public int Port { get; set; }
    public Dictionary<string, string>? Meta { get; set; }
}

/// <summary>A <c>Check</c> of a catalog registration: only an entry, nobody runs it.</summary>
public sealed class CatalogCheckDefinition
{
    public string? CheckID { get; set; }
    public string? Name { get; set; }
    public string? Notes { get; set; }
    public string? Status { get; set; }
    public string? Output { get; set; }
    public string? ServiceID { get; set; }
}

/// <summary>Body of <c>PUT /v1/catalog/deregister</c>.</summary>
public sealed class CatalogDeregistration
{
    public string? Node { get; set; }
    public string? Datacenter { get; set; }
    public string? ServiceID { get; set; }
    public string? CheckID { get; set; }
}
