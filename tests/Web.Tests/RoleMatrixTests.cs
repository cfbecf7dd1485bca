using System.Net;
using System.Net.Http.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

/// <summary>
/// Every endpoint the app maps (API, pages, account posts), found from the app's own endpoint table,
/// checked against the role matrix as anonymous and as each role: zero unauthorized successes.
/// An endpoint added without a permission policy fails <see cref="EveryEndpoint_NamesAPermissionPolicy_OrIsKnownToBePublic"/>.
/// </summary>
public sealed class RoleMatrixTests : IAsyncLifetime
{
    // Reachable without signing in, on purpose.
    private static readonly HashSet<string> Public = ["/healthz", "/account/login", "/account/signin"];
    // Anonymous callers reach these, and their request's signature is the credential (a git host's push webhook).
    private static readonly HashSet<string> SignatureAuthenticated = ["/hooks/push/{service}"];
    // The app maps far more; fewer found means the endpoint table was not read as these tests expect.
    private const int MinimumEndpoints = 15;
    private readonly PanelFactory _factory = new();
    private readonly Dictionary<Role, HttpClient> _clients = [];

    public async Task InitializeAsync()
    {
        foreach (var role in Enum.GetValues<Role>()) _clients[role] = await _factory.CreateClientAsync(role);
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private IReadOnlyList<(RouteEndpoint Endpoint, string Method)> Endpoints() =>
        _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("/_", StringComparison.Ordinal) && !IsStaticAsset(e))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (e, m)))
            .ToList();

    // Static files (MudBlazor's CSS and JS, the dev-time file fallback) are public by design.
    private static bool IsStaticAsset(RouteEndpoint e) =>
        e.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal))
        || e.RoutePattern.RawText!.Contains('.', StringComparison.Ordinal)
        || e.RoutePattern.RawText.Contains(":file}", StringComparison.Ordinal);

    private static Permission? Required(Endpoint e) =>
        e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => Policies.TryParse(a.Policy, out var p) ? p : (Permission?)null).LastOrDefault(p => p is not null);

    private static string Path(RouteEndpoint e) => "/" + string.Join('/', e.RoutePattern.PathSegments.Select(s =>
        string.Concat(s.Parts.Select(p => p switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "node" or "Node" or "Name" or "name" } => "node1",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart g when g.ParameterPolicies.Any(x => x.Content == "guid") => Guid.Empty.ToString(),
            _ => "matrix-probe",
        }))));

    [Fact]
    public void EveryEndpoint_NamesAPermissionPolicy_OrIsKnownToBePublic()
    {
        var endpoints = Endpoints();
        Assert.True(endpoints.Count >= MinimumEndpoints, $"found only {endpoints.Count} endpoints");
        var unguarded = endpoints.Where(x => Required(x.Endpoint) is null && !Public.Contains(x.Endpoint.RoutePattern.RawText!)
                && !SignatureAuthenticated.Contains(x.Endpoint.RoutePattern.RawText!)
                && !(x.Endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && x.Endpoint.RoutePattern.RawText is "/account/signout" or "/account/denied" or "/not-found"))
            .Select(x => $"{x.Method} {x.Endpoint.RoutePattern.RawText}").ToList();
        Assert.Empty(unguarded);
    }

    [Fact]
    public async Task Anonymous_GetsNoSuccessAnywhereButThePublicEndpoints()
    {
        using var anonymous = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var successes = new List<string>();
        var probed = Endpoints().Where(x => !Public.Contains(x.Endpoint.RoutePattern.RawText!)).ToList();
        Assert.True(probed.Count >= MinimumEndpoints, $"only {probed.Count} endpoints to probe");
        foreach (var (endpoint, method) in probed)
        {
            var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), Path(endpoint)));
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound && !Path(endpoint).Contains("matrix-probe", StringComparison.Ordinal))
                successes.Add($"{method} {Path(endpoint)} → {(int)response.StatusCode}");
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.BadRequest,
                $"{method} {Path(endpoint)} answered {(int)response.StatusCode} to an anonymous caller");
        }
        Assert.Empty(successes);
    }

    [Fact]
    public async Task EachRole_IsRefusedExactlyWhereTheMatrixSaysSo()
    {
        var wrong = new List<string>();
        var guarded = Endpoints().Where(x => Required(x.Endpoint) is not null).ToList();
        Assert.True(guarded.Count >= MinimumEndpoints, $"only {guarded.Count} endpoints name a permission");
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var (endpoint, method) in guarded)
            {
                if (Required(endpoint) is not { } permission) continue;
                var response = await _clients[role].SendAsync(new HttpRequestMessage(new HttpMethod(method), Path(endpoint)));
                var allowed = RolePermissions.Allows(role, permission);
                var refused = response.StatusCode == HttpStatusCode.Forbidden;
                if (allowed == refused) wrong.Add($"{role} {method} {Path(endpoint)} needs {permission}: got {(int)response.StatusCode}");
                if (!allowed) Assert.False(response.IsSuccessStatusCode, $"{role} succeeded at {method} {Path(endpoint)}");
            }
        }
        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("cordon")]
    [InlineData("uncordon")]
    [InlineData("drain")]
    public async Task NodeCordonAndDrain_AreForAdminsOnly(string action)
    {
        foreach (var role in new[] { Role.Deployer, Role.Operator, Role.Viewer })
        {
            var refused = await _clients[role].PostAsync($"/api/nodes/node1/{action}", null);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{role} {action}: {(int)refused.StatusCode}");
            Assert.Contains("\"missingPermission\":\"Administer\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // An Admin passes authorization (an unknown node then answers 404, not 403).
        var admitted = await _clients[Role.Admin].PostAsync($"/api/nodes/no-such-node/{action}", null);
        Assert.Equal(HttpStatusCode.NotFound, admitted.StatusCode);
    }

    [Fact]
    public void NodeAdministration_IsAdminOnly()
    {
        var writes = Endpoints().Where(x => x.Method != "GET" && x.Endpoint.RoutePattern.RawText is "/api/nodes/" or "/api/nodes" or "/api/nodes/{name}" or "/api/nodes/test")
            .Select(x => $"{x.Method} {x.Endpoint.RoutePattern.RawText} {Required(x.Endpoint)}").ToList();
        Assert.Equal(4, writes.Count);
        Assert.All(writes, w => Assert.EndsWith(nameof(Permission.Administer), w, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pipelines_AreReadByViewers_AndStartedOrCancelledByDeployersOnly()
    {
        foreach (var role in new[] { Role.Viewer, Role.Operator })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await _clients[role].PostAsync("/api/services/no-such-service/pipelines", JsonContent.Create(new { }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await _clients[role].PostAsync($"/api/pipelines/{Guid.NewGuid()}/cancel", null)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await _clients[Role.Viewer].GetAsync("/api/services/no-such-service/pipelines")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _clients[Role.Viewer].GetAsync($"/api/pipelines/{Guid.NewGuid()}")).StatusCode);
        // Deployers pass authorization: an unknown service or pipeline then answers 404, not 403.
        Assert.Equal(HttpStatusCode.NotFound, (await _clients[Role.Deployer].PostAsync("/api/services/no-such-service/pipelines", JsonContent.Create(new { }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _clients[Role.Deployer].PostAsync($"/api/pipelines/{Guid.NewGuid()}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task SignatureAuthenticatedEndpoints_RefuseUnsignedRequests_FromAnyone()
    {
        var endpoints = Endpoints().Where(x => SignatureAuthenticated.Contains(x.Endpoint.RoutePattern.RawText!)).ToList();
        Assert.Equal(SignatureAuthenticated.Count, endpoints.Count);
        Assert.All(endpoints, x => Assert.Null(Required(x.Endpoint)));
        using var anonymous = _factory.CreateClient();
        foreach (var client in _clients.Values.Append(anonymous))
        {
            foreach (var (endpoint, method) in endpoints)
            {
                var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), Path(endpoint)) { Content = new StringContent("{}") });
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {Path(endpoint)} unsigned: {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Forbidden_NamesTheMissingPermission_AndIsAudited()
    {
        var response = await _clients[Role.Viewer].PostAsync("/api/nodes/node1/containers/anything/restart", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"missingPermission\":\"OperateContainers\"", body, StringComparison.Ordinal);
        var audit = await _clients[Role.Admin].GetStringAsync("/api/audit?action=access.denied");
        Assert.Contains("POST /api/nodes/node1/containers/anything/restart", audit, StringComparison.Ordinal);
    }
}
