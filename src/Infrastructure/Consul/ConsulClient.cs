using System.Globalization;
using System.Net.Http.Json;
using ControlPanel.Core.Discovery;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>
/// A typed client of the small part of Consul's HTTP API v1 the panel uses, written from the API docs of Consul 1.16
/// (agent/service, agent/check, catalog, health, status and "Blocking Queries"). Reads go to
/// <see cref="ConsulOptions.Address"/>; registrations go to the agent on the replica's node.
/// </summary>
public sealed class ConsulClient(HttpClient http, IOptions<ConsulOptions> options) : IConsulCatalog, IConsulAgent
{
    /// <summary>Answers that are not blocking queries must come back within this.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Consul caps <c>wait</c> at 10 minutes.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    private ConsulOptions Settings => options.Value;

    public async Task<string> LeaderAsync(CancellationToken cancellationToken)
    {
        var (leader, _, _) = await GetAsync<string>("read the leader", Catalog("/v1/status/leader"), 0, null, cancellationToken);
        return leader ?? "";
    }

    public async Task<Indexed<IReadOnlyDictionary<string, IReadOnlyList<string>>>> ServicesAsync(ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var (services, next, filtered) = await GetAsync<Dictionary<string, List<string>?>>("list services", Catalog("/v1/catalog/services"), index, wait, cancellationToken);
        IReadOnlyDictionary<string, IReadOnlyList<string>> value = (services ?? []).ToDictionary(s => s.Key, s => (IReadOnlyList<string>)(s.Value ?? []));
        return new(value, next, next != index, filtered);
    }

    public async Task<Indexed<IReadOnlyList<CatalogServiceInstance>>> ServiceAsync(string service, ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var (instances, next, filtered) = await GetAsync<List<ConsulJson.CatalogServiceDto>>($"list the instances of '{service}'", Catalog($"/v1/catalog/service/{Segment(service)}"), index, wait, cancellationToken);
        return new((instances ?? []).Select(ConsulJson.ToInstance).ToList(), next, next != index, filtered);
    }

    public async Task<Indexed<IReadOnlyList<CatalogNode>>> NodesAsync(ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var (nodes, next, filtered) = await GetAsync<List<ConsulJson.NodeDto>>("list nodes", Catalog("/v1/catalog/nodes"), index, wait, cancellationToken);
        return new((nodes ?? []).Select(ConsulJson.ToNode).ToList(), next, next != index, filtered);
    }

    public async Task<Indexed<IReadOnlyList<ServiceHealth>>> HealthAsync(string service, bool passingOnly, ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var uri = Catalog($"/v1/health/service/{Segment(service)}", passingOnly ? "passing=true" : null);
        var (entries, next, filtered) = await GetAsync<List<ConsulJson.ServiceEntryDto>>($"read the health of '{service}'", uri, index, wait, cancellationToken);
        return new((entries ?? []).Select(ConsulJson.ToHealth).ToList(), next, next != index, filtered);
    }

    public Task RegisterAsync(NodeDefinition node, ServiceRegistration registration, CancellationToken cancellationToken) =>
        PutAsync($"register '{registration.Id}'", Agent(node, "/v1/agent/service/register", "replace-existing-checks=true"),
            JsonContent.Create(ConsulJson.ToDto(registration), options: ConsulJson.Options), cancellationToken);

    public Task DeregisterAsync(NodeDefinition node, string serviceId, CancellationToken cancellationToken) =>
        PutAsync($"deregister '{serviceId}'", Agent(node, $"/v1/agent/service/deregister/{Segment(serviceId)}"), null, cancellationToken);

    public Task SetMaintenanceAsync(NodeDefinition node, string serviceId, bool enable, string? reason, CancellationToken cancellationToken)
    {
        var query = $"enable={(enable ? "true" : "false")}" + (string.IsNullOrEmpty(reason) ? "" : $"&reason={Uri.EscapeDataString(reason)}");
        return PutAsync($"{(enable ? "put" : "take")} '{serviceId}' {(enable ? "in" : "out of")} maintenance",
            Agent(node, $"/v1/agent/service/maintenance/{Segment(serviceId)}", query), null, cancellationToken);
    }

    public Task ReportTtlAsync(NodeDefinition node, string checkId, CheckStatus status, string? note, CancellationToken cancellationToken)
    {
        var verb = status switch { CheckStatus.Passing => "pass", CheckStatus.Warning => "warn", _ => "fail" };
        var query = string.IsNullOrEmpty(note) ? null : $"note={Uri.EscapeDataString(note)}";
        return PutAsync($"report check '{checkId}' as {status.ToString().ToLowerInvariant()}", Agent(node, $"/v1/agent/check/{verb}/{Segment(checkId)}", query), null, cancellationToken);
    }

    /// <summary>The local agent of <paramref name="node"/>: its entry in Agents, else the node's host on AgentPort.</summary>
    public Uri AgentAddress(NodeDefinition node)
    {
        var settings = Settings;
        if (settings.Agents.TryGetValue(node.Name, out var configured))
            return ConsulOptionsValidator.AddressError(configured) is { } error
                ? throw new ConsulConfigurationException($"{ConsulOptions.Section}:Agents:{node.Name} {error}")
                : new Uri(configured.Trim());
        return new UriBuilder(Root().Scheme, node.ReplicaHost, settings.AgentPort).Uri;
    }

    private Uri Root()
    {
        var address = Settings.Address ?? "";
        return ConsulOptionsValidator.AddressError(address) is { } error
            ? throw new ConsulConfigurationException($"{ConsulOptions.Section}:Address {error}")
            : new Uri(address.Trim());
    }

    private Uri Catalog(string path, string? query = null)
    {
        var dc = Settings.Datacenter is { Length: > 0 } d ? $"dc={Uri.EscapeDataString(d)}" : null;
        return Build(Root(), path, string.Join('&', new[] { query, dc }.Where(q => q is not null)));
    }

    private Uri Agent(NodeDefinition node, string path, string? query = null) => Build(AgentAddress(node), path, query ?? "");

    private static Uri Build(Uri root, string path, string query) =>
        new UriBuilder(root) { Path = path, Query = query }.Uri;

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static string Address(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    private async Task<(T? Value, ulong Index, bool Filtered)> GetAsync<T>(string operation, Uri uri, ulong index, TimeSpan? wait, CancellationToken cancellationToken)
    {
        if (wait is { } w)
        {
            var seconds = (long)Math.Ceiling(Math.Min(w.TotalSeconds, MaxWait.TotalSeconds));
            var blocking = $"index={index.ToString(CultureInfo.InvariantCulture)}&wait={seconds}s";
            uri = new UriBuilder(uri) { Query = uri.Query.Length > 1 ? $"{uri.Query[1..]}&{blocking}" : blocking }.Uri;
        }
        // Consul holds a blocking query up to wait + wait/16; the deadline leaves room for that and the network.
        var deadline = wait is { } hold ? hold + hold / 16 + CallTimeout : CallTimeout;
        using var response = await SendAsync(operation, HttpMethod.Get, uri, null, deadline, cancellationToken);
        var received = response.Headers.TryGetValues("X-Consul-Index", out var values)
            && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        try
        {
            var value = await response.Content.ReadFromJsonAsync<T>(ConsulJson.Options, cancellationToken);
            // Consul leaves out what the token may not read and says so in this header, instead of refusing.
            var filtered = response.Headers.TryGetValues("X-Consul-Results-Filtered-By-ACLs", out var flags) && flags.Any(f => f.Equals("true", StringComparison.OrdinalIgnoreCase));
            return (value, BlockingIndex.Next(index, received), filtered);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ConsulRefusedException(Address(uri), operation, (int)response.StatusCode, $"the answer is not the JSON Consul documents ({ex.Message})");
        }
    }

    private async Task PutAsync(string operation, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(operation, HttpMethod.Put, uri, content, CallTimeout, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(string operation, HttpMethod method, Uri uri, HttpContent? content, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        var token = Settings.Token;
        if (!string.IsNullOrEmpty(token)) request.Headers.TryAddWithoutValidation("X-Consul-Token", token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw ConsulErrors.Unreachable(Address(uri), ex, timedOut: ex is OperationCanceledException);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
            throw await ConsulErrors.FromResponseAsync(Address(uri), operation, response, token, cancellationToken);
    }
}
