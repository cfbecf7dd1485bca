namespace ControlPanel.Infrastructure.Tests.Consul;

/// <summary>Sample responses from Consul's HTTP API docs (Consul 1.16, hashicorp/consul website/content/api-docs).</summary>
internal static class ConsulDocExamples
{
    // status.mdx, "Get Raft Leader".
    public const string Leader = "\"10.1.10.12:8300\"";

    // catalog.mdx, "List Services".
    public const string CatalogServices = """
        {
          "consul": [],
          "redis": [],
          "postgresql": ["primary", "secondary"]
        }
        """;

    // catalog.mdx, "List Nodes".
    public const string CatalogNodes = """
        [
          {
            "ID": "40e4a748-2192-161a-0510-9bf59fe950b5",
            "Node": "baz",
            "Address": "10.1.10.11",
            "Datacenter": "dc1",
            "TaggedAddresses": { "lan": "10.1.10.11", "wan": "10.1.10.11" },
            "Meta": { "instance_type": "t2.medium" }
          },
          {
            "ID": "8f246b77-f3e1-ff88-5b48-8ec93abf3e05",
            "Node": "t2.320",
            "Address": "10.1.10.12",
            "Datacenter": "dc2",
            "TaggedAddresses": { "lan": "10.1.10.11", "wan": "10.1.10.12" },
            "Meta": { "instance_type": "t2.large" }
          }
        ]
        """;

    // catalog.mdx, "List Nodes for Service".
    public const string CatalogService = """
        [
          {
            "ID": "40e4a748-2192-161a-0510-9bf59fe950b5",
            "Node": "t2.320",
            "Address": "192.168.10.10",
            "Datacenter": "dc1",
            "TaggedAddresses": { "lan": "192.168.10.10", "wan": "10.0.10.10" },
            "NodeMeta": { "somekey": "somevalue" },
            "CreateIndex": 51,
            "ModifyIndex": 51,
            "ServiceAddress": "172.17.0.3",
            "ServiceEnableTagOverride": false,
            "ServiceID": "32a2a47f7992:nodea:5000",
            "ServiceName": "web",
            "ServicePort": 5000,
            "ServiceMeta": { "web_meta_value": "baz" },
            "ServiceTaggedAddresses": {
              "lan": { "address": "172.17.0.3", "port": 5000 },
              "wan": { "address": "198.18.0.1", "port": 512 }
            },
            "ServiceTags": ["prod"],
            "ServiceProxy": {
              "DestinationServiceName": "", "DestinationServiceID": "", "LocalServiceAddress": "", "LocalServicePort": 0,
              "Config": null, "Upstreams": null
            },
            "ServiceConnect": { "Native": false, "Proxy": null },
            "Namespace": "default"
          }
        ]
        """;

    // health.mdx, "List Service Instances for Service".
    public const string HealthService = """
        [
          {
            "Node": {
              "ID": "40e4a748-2192-161a-0510-9bf59fe950b5",
              "Node": "foobar",
              "Address": "10.1.10.12",
              "Datacenter": "dc1",
              "TaggedAddresses": { "lan": "10.1.10.12", "wan": "10.1.10.12" },
              "Meta": { "instance_type": "t2.medium" }
            },
            "Service": {
              "ID": "redis",
              "Service": "redis",
              "Tags": ["primary"],
              "Address": "10.1.10.12",
              "TaggedAddresses": {
                "lan": { "address": "10.1.10.12", "port": 8000 },
                "wan": { "address": "198.18.1.2", "port": 80 }
              },
              "Meta": { "redis_version": "4.0" },
              "Port": 8000,
              "Weights": { "Passing": 10, "Warning": 1 },
              "Namespace": "default"
            },
            "Checks": [
              {
                "Node": "foobar", "CheckID": "service:redis", "Name": "Service 'redis' check", "Status": "passing",
                "Notes": "", "Output": "", "ServiceID": "redis", "ServiceName": "redis", "ServiceTags": ["primary"], "Namespace": "default"
              },
              {
                "Node": "foobar", "CheckID": "serfHealth", "Name": "Serf Health Status", "Status": "passing",
                "Notes": "", "Output": "", "ServiceID": "", "ServiceName": "", "ServiceTags": [], "Namespace": "default"
              }
            ]
          }
        ]
        """;
}
