namespace ControlPanel.Infrastructure.Docker.Telemetry;

/// <summary>
/// Names an Engine API request by what it does ("containers.list", "containers.inspect", "images.pull"), never by
/// its path: a path carries container ids and image names, and a metric tagged with it would grow without bound.
/// </summary>
public static class EngineOperation
{
    private static readonly HashSet<string> Resources =
        ["containers", "images", "exec", "build", "events", "info", "version", "_ping", "system", "networks", "volumes", "swarm", "services", "nodes", "tasks", "plugins", "distribution", "auth", "commit"];

    // What follows a resource directly when the request is about the collection (/containers/json), not one item.
    private static readonly Dictionary<string, string> CollectionVerbs = new()
    {
        ["json"] = "list", ["create"] = "create", ["prune"] = "prune", ["df"] = "df", ["load"] = "load", ["search"] = "search",
    };

    // What ends the path of a request about one item (/containers/{id}/start); an image name may hold slashes.
    private static readonly HashSet<string> ItemActions =
        ["json", "start", "stop", "restart", "kill", "wait", "logs", "stats", "top", "attach", "archive", "exec", "resize", "pause", "unpause", "update", "rename", "changes", "export", "push", "tag", "history", "get"];

    public static string Of(HttpMethod method, Uri? uri)
    {
        var all = (uri?.AbsolutePath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        // Versioned requests start with /v1.41.
        var s = all.Length > 0 && all[0].Length > 1 && all[0][0] == 'v' && char.IsDigit(all[0][1]) ? all[1..] : all;
        if (s.Length == 0 || !Resources.Contains(s[0])) return "other";
        var resource = s[0] == "_ping" ? "ping" : s[0];
        if (s.Length == 1) return resource;
        if (s.Length == 2 && CollectionVerbs.TryGetValue(s[1], out var verb))
            return resource == "images" && verb == "create" ? "images.pull" : $"{resource}.{verb}";
        if (s.Length > 2 && ItemActions.Contains(s[^1])) return $"{resource}.{(s[^1] == "json" ? "inspect" : s[^1])}";
        if (method == HttpMethod.Delete) return $"{resource}.remove";
        return $"{resource}.{method.Method.ToLowerInvariant()}";
    }
}
