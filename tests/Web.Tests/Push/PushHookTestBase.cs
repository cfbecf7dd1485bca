using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ControlPanel.Core.Pipelines;
using ControlPanel.Core.Pipelines.Push;
using ControlPanel.Core.Security;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests.Push;

/// <summary>
/// A panel over the lab with a service built from a real git repository, and the pipeline queue replaced by one that
/// records what it is asked (the pipeline track's runner is tested on its own): these tests are about which
/// deliveries ask for a pipeline, and with what.
/// </summary>
public abstract class PushHookTestBase : BuildTestBase
{
    protected RecordingPipelines Pipelines { get; } = new();
    protected string Service => $"push-{Unique}";
    protected string Head { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        Factory.ConfigureServices = services =>
        {
            services.AddSingleton<IPipelineQueue>(Pipelines);
            services.AddSingleton<IPipelineStore>(Pipelines);
        };
        await base.InitializeAsync();
        Repo.Write("Dockerfile", Dockerfile("CMD [\"sleep\", \"3600\"]"));
        Head = Repo.Commit("first");
        await DefineServiceAsync(Service);
    }

    protected async Task<string> CreateHookAsync(bool autoDeploy = true)
    {
        var response = await Deployer.PutAsJsonAsync($"/api/services/{Service}/push-hook", new { autoDeploy });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("secret").GetString()!;
    }

    protected static byte[] GitHubPush(string branchRef, string after, string pusher = "octocat") => GitHubDeliveries.Push(branchRef, after, pusher);

    protected Task<HttpResponseMessage> SendGitHubAsync(byte[] body, string? secret, string deliveryId, string eventName = "push", string? service = null) =>
        GitHubDeliveries.SendAsync(Anonymous, service ?? Service, body, secret, deliveryId, eventName);

    /// <summary>No session, no token: the hook URL is called as a git host calls it.</summary>
    protected HttpClient Anonymous => _anonymous ??= Factory.CreateClient();
    private HttpClient? _anonymous;

    protected static async Task<JsonElement> JsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    protected static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>Records the pipeline requests it is asked for, and keeps the pipelines it "started" for lookups.</summary>
public sealed class RecordingPipelines : IPipelineQueue, IPipelineStore
{
    private readonly ConcurrentDictionary<Guid, Pipeline> _pipelines = new();
    public ConcurrentQueue<(PipelineRequest Request, Actor Who)> Requests { get; } = new();

    /// <summary>Thrown by the next <see cref="EnqueueAsync"/>, as a queue that broke would.</summary>
    public Exception? FailNext { get; set; }

    public Task<Pipeline> EnqueueAsync(PipelineRequest request, Actor who, CancellationToken cancellationToken)
    {
        if (FailNext is { } failure)
        {
            FailNext = null;
            return Task.FromException<Pipeline>(failure);
        }
        Requests.Enqueue((request, who));
        var pipeline = new Pipeline
        {
            Id = Guid.NewGuid(), Service = request.Service, Trigger = request.Trigger, TriggeredBy = who.Name, Revision = request.Revision ?? "", Commit = request.Commit,
            Deploy = request.Deploy, Provider = request.Provider, DeliveryId = request.DeliveryId, CreatedAt = DateTimeOffset.UtcNow,
        };
        _pipelines[pipeline.Id] = pipeline;
        return Task.FromResult(pipeline);
    }

    public Task AddAsync(Pipeline pipeline, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task UpdateAsync(Pipeline pipeline, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<Pipeline?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(_pipelines.GetValueOrDefault(id));
    public Task<Pipeline?> FindByDeliveryAsync(string service, string deliveryId, CancellationToken cancellationToken) =>
        Task.FromResult(_pipelines.Values.FirstOrDefault(p => p.Service == service && p.DeliveryId == deliveryId));
    public Task<IReadOnlyList<Pipeline>> ListAsync(string? service, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Pipeline>>(_pipelines.Values.Where(p => service is null || p.Service == service).Take(limit).ToList());
    public Task<IReadOnlyList<Pipeline>> UnfinishedAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Pipeline>>([]);
    public Task TouchAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;
}
