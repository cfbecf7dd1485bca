using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPanel.Core.Telemetry;

/// <summary>
/// The panel's own traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>, and every instrument's name in one place. Static, like the BCL's own sources: the code that
/// records (a Docker message handler, a background deployment) is created far from any container, and a listener
/// (OpenTelemetry in the host) subscribes by name. With no listener every call here costs next to nothing.
/// </summary>
public static class ControlPanelTelemetry
{
    public const string Name = "ControlPanel";

    public const string EngineCallDuration = "controlpanel.engine.call.duration";
    public const string Deployments = "controlpanel.deployments";
    public const string DeploymentDuration = "controlpanel.deployment.duration";
    public const string Builds = "controlpanel.builds";
    public const string BuildDuration = "controlpanel.build.duration";
    public const string LogStreamsOpen = "controlpanel.log.streams.open";
    public const string LogLines = "controlpanel.log.lines";
    public const string WebhookDeliveries = "controlpanel.webhook.deliveries";
    public const string WebhookDeliveryDuration = "controlpanel.webhook.delivery.duration";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    // Latency buckets from 1 ms (a ping over a unix socket) to a minute (a pull or a build's answer).
    private static readonly InstrumentAdvice<double> EngineBuckets = new() { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] };
    // Deployments and builds take seconds to many minutes.
    private static readonly InstrumentAdvice<double> LongBuckets = new() { HistogramBucketBoundaries = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] };

    private static readonly Histogram<double> EngineCalls = Meter.CreateHistogram(EngineCallDuration, "s",
        "Time until a Docker engine answered a call (its response headers), by node and operation.", advice: EngineBuckets);
    private static readonly Counter<long> DeploymentCount = Meter.CreateCounter<long>(Deployments, "{deployment}", "Deployments finished, by kind and outcome.");
    private static readonly Histogram<double> DeploymentTime = Meter.CreateHistogram(DeploymentDuration, "s", "How long deployments ran, by kind and outcome.", advice: LongBuckets);
    private static readonly Counter<long> BuildCount = Meter.CreateCounter<long>(Builds, "{build}", "Builds finished, by outcome.");
    private static readonly Histogram<double> BuildTime = Meter.CreateHistogram(BuildDuration, "s", "How long builds ran, by outcome.", advice: LongBuckets);
    private static readonly UpDownCounter<long> OpenLogStreams = Meter.CreateUpDownCounter<long>(LogStreamsOpen, "{stream}", "Engine log streams open now (one per followed container, shared by its viewers), by node.");
    private static readonly Counter<long> LogLineCount = Meter.CreateCounter<long>(LogLines, "{line}", "Log lines read from engine log streams, by node.");
    private static readonly Counter<long> WebhookCount = Meter.CreateCounter<long>(WebhookDeliveries, "{delivery}", "Webhook delivery attempts, by outcome.");
    private static readonly Histogram<double> WebhookTime = Meter.CreateHistogram(WebhookDeliveryDuration, "s", "How long a webhook receiver took to answer, by outcome.", advice: EngineBuckets);

    /// <summary>A span for one engine call; null when nobody listens. The caller records its end with <see cref="RecordEngineCall"/>.</summary>
    public static Activity? StartEngineCall(string node, string operation)
    {
        var activity = Source.StartActivity("engine " + operation, ActivityKind.Client);
        activity?.SetTag("controlpanel.node", node);
        activity?.SetTag("controlpanel.engine.operation", operation);
        return activity;
    }

    /// <param name="operation">A low-cardinality name such as "containers.list", never a path with ids.</param>
    /// <param name="outcome">"ok", the HTTP status class the engine answered ("4xx", "5xx"), or "error" (no answer).</param>
    public static void RecordEngineCall(string node, string operation, string outcome, TimeSpan duration) =>
        EngineCalls.Record(duration.TotalSeconds, Tag("node", node), Tag("operation", operation), Tag("outcome", outcome));

    /// <summary>
    /// A span for one deployment. A new trace linked to whatever started it (an API request, the panel's start),
    /// not a child of it: a deployment outlives the request that asked for it by minutes.
    /// </summary>
    public static Activity? StartDeployment(Guid id, string service, string kind) =>
        StartDetached("deployment " + service, [Tag("controlpanel.deployment.id", id.ToString()), Tag("controlpanel.service", service), Tag("controlpanel.deployment.kind", kind)]);

    /// <param name="outcome">The deployment's final status, e.g. "Succeeded", "RolledBack", "Failed".</param>
    public static void RecordDeployment(string kind, string outcome, TimeSpan duration)
    {
        DeploymentCount.Add(1, Tag("kind", kind), Tag("outcome", outcome));
        DeploymentTime.Record(duration.TotalSeconds, Tag("kind", kind), Tag("outcome", outcome));
    }

    /// <summary>A span for one build, in its own trace like a deployment.</summary>
    public static Activity? StartBuild(Guid id, string service) =>
        StartDetached("build " + service, [Tag("controlpanel.build.id", id.ToString()), Tag("controlpanel.service", service)]);

    /// <param name="outcome">The build's final status, e.g. "Succeeded", "Reused", "Failed".</param>
    public static void RecordBuild(string outcome, TimeSpan duration)
    {
        BuildCount.Add(1, Tag("outcome", outcome));
        BuildTime.Record(duration.TotalSeconds, Tag("outcome", outcome));
    }

    public static void LogStreamOpened(string node) => OpenLogStreams.Add(1, Tag("node", node));

    public static void LogStreamClosed(string node) => OpenLogStreams.Add(-1, Tag("node", node));

    public static void RecordLogLine(string node) => LogLineCount.Add(1, Tag("node", node));

    /// <summary>One attempt to deliver a webhook (each retry is one more).</summary>
    /// <param name="outcome">"succeeded" (a 2xx answer), "failed" (an error answer, or none) or "refused" (not sent: the secret could not be read).</param>
    public static void RecordWebhookDelivery(string outcome, TimeSpan duration)
    {
        WebhookCount.Add(1, Tag("outcome", outcome));
        WebhookTime.Record(duration.TotalSeconds, Tag("outcome", outcome));
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private static Activity? StartDetached(string name, KeyValuePair<string, object?>[] tags)
    {
        if (!Source.HasListeners()) return null;
        var starter = Activity.Current;
        // Activity.Current would otherwise become the parent; it is put back by the caller's own async flow.
        Activity.Current = null;
        return Source.StartActivity(name, ActivityKind.Internal, default(ActivityContext), tags,
            starter is null ? null : [new ActivityLink(starter.Context)]);
    }
}
