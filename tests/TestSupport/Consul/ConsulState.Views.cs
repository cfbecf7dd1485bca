namespace ControlPanel.TestSupport.Consul;

/// <summary>The reads behind the GET endpoints, shaped as Consul's documented responses. Call them inside <see cref="Read"/>.</summary>
internal sealed partial class ConsulState
{
    public Dictionary<string, object> AgentServices(string node) =>
        _services.Where(s => s.Node == node).ToDictionary(s => s.Id, s => (object)new
        {
            ID = s.Id,
            Service = s.Name,
            s.Tags,
            s.Meta,
            s.Port,
            s.Address,
            Weights = new { Passing = 1, Warning = 1 },
            EnableTagOverride = false,
            Datacenter,
        });

    public Dictionary<string, object> AgentChecks(string node) =>
        _checks.Where(c => c.Node == node).ToDictionary(c => c.CheckId, Check);

    public Dictionary<string, List<string>> CatalogServices() =>
        _services.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.SelectMany(s => s.Tags).Distinct().ToList());

    public List<object> CatalogService(string name, IReadOnlyCollection<string> tags) =>
        _services.Where(s => s.Name == name && tags.All(s.Tags.Contains) && _nodes.ContainsKey(s.Node)).Select(s =>
        {
            var node = _nodes[s.Node];
            return (object)new
            {
                ID = node.Id,
                Node = node.Name,
                node.Address,
                Datacenter,
                node.TaggedAddresses,
                NodeMeta = node.Meta,
                ServiceAddress = s.Address,
                ServiceEnableTagOverride = false,
                ServiceID = s.Id,
                ServiceName = s.Name,
                ServicePort = s.Port,
                ServiceMeta = s.Meta,
                ServiceTags = s.Tags,
                ServiceWeights = new { Passing = 1, Warning = 1 },
                s.CreateIndex,
                s.ModifyIndex,
            };
        }).ToList();

    public List<object> CatalogNodes() => _nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal).Select(Node).ToList();

    /// <summary><c>/v1/health/service/:service</c>: each instance with its node and every check that bears on it (node checks too).</summary>
    public List<object> HealthService(string name, IReadOnlyCollection<string> tags, bool passingOnly) =>
        _services.Where(s => s.Name == name && tags.All(s.Tags.Contains) && _nodes.ContainsKey(s.Node))
            .Select(s => (Service: s, Checks: _checks.Where(c => c.Node == s.Node && (c.ServiceId.Length == 0 || c.ServiceId == s.Id)).ToList()))
            .Where(e => !passingOnly || e.Checks.All(c => c.Status == CheckStatus.Passing))
            .Select(e => (object)new
            {
                Node = Node(_nodes[e.Service.Node]),
                Service = new
                {
                    ID = e.Service.Id,
                    Service = e.Service.Name,
                    e.Service.Tags,
                    e.Service.Address,
                    e.Service.Meta,
                    e.Service.Port,
                    Weights = new { Passing = 1, Warning = 1 },
                    EnableTagOverride = false,
                    e.Service.CreateIndex,
                    e.Service.ModifyIndex,
                },
                Checks = e.Checks.Select(Check).ToList(),
            }).ToList();

    public List<object> HealthNode(string node) => _checks.Where(c => c.Node == node).Select(Check).ToList();

    public bool HasNode(string node) => _nodes.ContainsKey(node);

    private object Node(NodeEntry node) => new
    {
        ID = node.Id,
        Node = node.Name,
        node.Address,
        Datacenter,
        node.TaggedAddresses,
        node.Meta,
        node.CreateIndex,
        node.ModifyIndex,
    };

    private object Check(CheckEntry check) => new
    {
        check.Node,
        CheckID = check.CheckId,
        check.Name,
        check.Status,
        check.Notes,
        check.Output,
        ServiceID = check.ServiceId,
        check.ServiceName,
        check.ServiceTags,
        check.Type,
        Definition = new
        {
            HTTP = check.Http ?? "",
            TCP = check.Tcp ?? "",
            Interval = Go(check.Interval),
            Timeout = Go(check.Ttl is null && (check.Http ?? check.Tcp) is not null ? check.Timeout : TimeSpan.Zero),
            DeregisterCriticalServiceAfter = Go(check.DeregisterCriticalServiceAfter ?? TimeSpan.Zero),
        },
        check.CreateIndex,
        check.ModifyIndex,
    };

    private static string Go(TimeSpan duration) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s");
}
