using System.Reflection;
using System.Text.Json.Serialization;

namespace ControlPanel.Core.Releases;

/// <summary>What a deployment step does. Its name (API, hub, database, page) is the lower-case one given here.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeploymentStepAction>))]
public enum DeploymentStepAction
{
    /// <summary>Reading what runs on a node before anything is touched.</summary>
    [JsonStringEnumMemberName("inspect")] Inspect,
    [JsonStringEnumMemberName("pull")] Pull,
    [JsonStringEnumMemberName("create")] Create,
    [JsonStringEnumMemberName("start")] Start,
    /// <summary>Waiting for the new replica to be healthy (and to stay so for the monitor period).</summary>
    [JsonStringEnumMemberName("healthy")] Healthy,
    /// <summary>A new replica that failed, taken out again.</summary>
    [JsonStringEnumMemberName("remove-new")] RemoveNew,
    /// <summary>A new router replica given the upstream of every service routed through it, before its health counts.</summary>
    [JsonStringEnumMemberName("prepare-router")] PrepareRouter,
    /// <summary>A healthy new replica put into its service's rotations (nginx upstreams).</summary>
    [JsonStringEnumMemberName("rotate-in")] RotateIn,
    /// <summary>Waiting for Consul to report a new replica's checks passing, when the service gates on it.</summary>
    [JsonStringEnumMemberName("serving")] Serving,
    /// <summary>An old replica taken out of its service's rotations before it is drained.</summary>
    [JsonStringEnumMemberName("rotate-out")] RotateOut,
    /// <summary>Waiting until an old replica has no connection left (at most the drain delay) before it is stopped.</summary>
    [JsonStringEnumMemberName("drain")] Drain,
    [JsonStringEnumMemberName("stop-old")] StopOld,
    /// <summary>A safe restart's graceful stop of a replica that is then started again.</summary>
    [JsonStringEnumMemberName("stop")] Stop,
    [JsonStringEnumMemberName("remove-old")] RemoveOld,
    /// <summary>A replica created by a deployment whose panel stopped before starting it.</summary>
    [JsonStringEnumMemberName("remove-orphan")] RemoveOrphan,
    /// <summary>On an interrupted deployment: the deployment the panel started to finish it (<see cref="DeploymentRecovery"/>).</summary>
    [JsonStringEnumMemberName("resume")] Resume,
}

public static class DeploymentStepActions
{
    // From the attributes above, so the JSON name and the stored name cannot drift apart.
    private static readonly Dictionary<DeploymentStepAction, string> Names = Enum.GetValues<DeploymentStepAction>().ToDictionary(
        a => a, a => typeof(DeploymentStepAction).GetField(a.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name);

    private static readonly Dictionary<string, DeploymentStepAction> ByName = Names.ToDictionary(n => n.Value, n => n.Key, StringComparer.Ordinal);

    /// <summary>The step's name as users, clients and the database see it ("stop-old").</summary>
    public static string Name(this DeploymentStepAction action) => Names[action];

    public static DeploymentStepAction Parse(string name) =>
        ByName.TryGetValue(name, out var action) ? action : throw new FormatException($"'{name}' is not a deployment step ({string.Join(", ", ByName.Keys)}).");
}
