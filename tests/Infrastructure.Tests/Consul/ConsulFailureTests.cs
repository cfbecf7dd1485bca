using System.Net;
using System.Net.Sockets;
using ControlPanel.Core.Discovery;
using ControlPanel.Core.Fleet;
using ControlPanel.Infrastructure.Consul;
using ControlPanel.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Tests.Consul;

/// <summary>ACL refusals, an unreachable Consul and bad settings give clear errors, and the ACL token never leaks.</summary>
public sealed class ConsulFailureTests
{
    private const string Token = "5ecr3t-acl-token-7d1c-never-shown";

    [Theory]
    [InlineData("Permission denied")]
    [InlineData("ACL not found")]
    public async Task Read_RefusedByTheAcl_ThrowsAccessDeniedWithConsulsWords(string consulMessage)
    {
        await using var consul = await RecordingConsul.StartAsync(_ => new ConsulAnswer(403, consulMessage));
        var client = ConsulClientContractTests.Client(consul.Address, token: Token);

        var error = await Assert.ThrowsAsync<ConsulAccessDeniedException>(() => client.NodesAsync(0, TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Contains(consulMessage, error.Message);
        Assert.Contains(consul.Address, error.Message);
        Assert.Contains("ControlPanel:Consul:Token", error.Message);
        Assert.DoesNotContain(Token, error.ToString());
    }

    [Fact]
    public async Task Write_RefusedWithAnAnswerThatEchoesTheToken_NeverShowsTheToken()
    {
        await using var agent = await RecordingConsul.StartAsync(r => new ConsulAnswer(403, $"Permission denied: token {r.Header("X-Consul-Token")} lacks service:write"));
        var client = ConsulClientContractTests.Client("http://127.0.0.1:1", agents: new() { ["n1"] = agent.Address }, token: Token);

        var error = await Assert.ThrowsAsync<ConsulAccessDeniedException>(() => client.DeregisterAsync(Node("n1"), "web-1", CancellationToken.None));

        Assert.Contains("lacks service:write", error.Message);
        Assert.DoesNotContain(Token, error.ToString());
    }

    [Fact]
    public async Task Query_WhenNothingListens_ThrowsUnavailableNamingTheAddress()
    {
        var address = $"http://127.0.0.1:{FreePort()}";
        var client = ConsulClientContractTests.Client(address, token: Token);

        var error = await Assert.ThrowsAsync<ConsulUnavailableException>(() => client.LeaderAsync(CancellationToken.None));

        Assert.Contains($"Consul at {address} is unreachable", error.Message);
        Assert.DoesNotContain(Token, error.ToString());
    }

    [Fact]
    public async Task Query_WithABadAddress_ThrowsAConfigurationErrorNamingTheSetting()
    {
        var client = ConsulClientContractTests.Client("consul:8500", token: Token);

        var error = await Assert.ThrowsAsync<ConsulConfigurationException>(() => client.LeaderAsync(CancellationToken.None));

        Assert.Contains("ControlPanel:Consul:Address", error.Message);
    }

    [Fact]
    public async Task Client_FromDependencyInjection_NeverWritesTheTokenToAnyLogLine()
    {
        await using var consul = await RecordingConsul.StartAsync(r => r.Path.StartsWith("/v1/agent/", StringComparison.Ordinal)
            ? new ConsulAnswer(403, "ACL not found")
            : new ConsulAnswer(200, ConsulDocExamples.CatalogNodes, 3));
        var logs = new LogCapture();
        var services = new ServiceCollection().AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddConsul(Configuration(new() { ["Address"] = consul.Address, ["Token"] = Token, ["Agents:n1"] = consul.Address }));
        await using var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<IConsulCatalog>();
        var agent = provider.GetRequiredService<IConsulAgent>();

        await catalog.NodesAsync(0, TimeSpan.FromSeconds(1), CancellationToken.None);
        var denied = await Assert.ThrowsAsync<ConsulAccessDeniedException>(() => agent.RegisterAsync(Node("n1"),
            new ServiceRegistration("web-1", "web", "127.0.0.1", 8080, [], new Dictionary<string, string>()), CancellationToken.None));
        provider.GetRequiredService<ILogger<ConsulFailureTests>>().LogWarning(denied, "Registration failed");

        Assert.All(consul.Requests, r => Assert.Equal(Token, r.Header("X-Consul-Token")));
        Assert.Contains(logs.Lines, l => l.Contains("X-Consul-Token", StringComparison.Ordinal)); // headers are logged at Trace, redacted
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public void AddConsul_WithoutAnAddress_RegistersNothing()
    {
        var services = new ServiceCollection().AddConsul(Configuration(new() { ["Token"] = Token }));

        Assert.DoesNotContain(services, s => s.ServiceType == typeof(IConsulCatalog) || s.ServiceType == typeof(IConsulAgent));
    }

    [Theory]
    [InlineData("Address", "consul.example", "is not a URL")]
    [InlineData("Address", "ftp://consul:8500", "must use http:// or https://")]
    [InlineData("Address", "http://consul:8500/v1", "scheme, host and port only")]
    [InlineData("Agents:n1", "node-1:8500", "ControlPanel:Consul:Agents:n1")]
    [InlineData("Datacenter", "dc 1", "ControlPanel:Consul:Datacenter")]
    [InlineData("CaFile", "/nonexistent/ca.pem", "ControlPanel:Consul:CaFile '/nonexistent/ca.pem' does not exist")]
    [InlineData("ClientCertificateFile", "/etc/hostname", "go together")]
    public void Validator_NamesTheWrongSetting_WithoutTheToken(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Address"] = "http://127.0.0.1:8500", ["Token"] = Token, [key] = value };
        var options = Configuration(settings).GetSection(ConsulOptions.Section).Get<ConsulOptions>()!;

        var result = new ConsulOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
        Assert.DoesNotContain(Token, result.FailureMessage);
    }

    [Fact]
    public void Validator_WithCredentialsInTheAddress_RefusesWithoutRepeatingThem()
    {
        var result = new ConsulOptionsValidator().Validate(null, new ConsulOptions { Address = $"http://user:{Token}@consul:8500" });

        Assert.Contains("must not carry credentials", result.FailureMessage);
        Assert.DoesNotContain(Token, result.FailureMessage);
    }

    [Fact]
    public void Validator_AcceptsACompleteConfiguration()
    {
        var options = new ConsulOptions { Address = "https://consul.example:8501", Token = Token, Datacenter = "dc1", Agents = { ["n1"] = "http://127.0.0.1:18500" } };

        Assert.True(new ConsulOptionsValidator().Validate(null, options).Succeeded);
    }

    internal static NodeDefinition Node(string name) => new(name, "unix:///var/run/docker.sock", new Dictionary<string, string>());

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"{ConsulOptions.Section}:{s.Key}", s.Value))).Build();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
