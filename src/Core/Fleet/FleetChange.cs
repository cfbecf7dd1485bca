namespace ControlPanel.Core.Fleet;

/// <summary>Something changed on a node; pushed to every open page by <see cref="FleetChangeNotifier"/>.</summary>
public abstract record FleetChange(string Node);

/// <summary>A container changed state; <paramref name="Container"/> is null once it is gone.</summary>
public sealed record ContainerChanged(string Node, string Id, string Action, ContainerSummary? Container) : FleetChange(Node)
{
    /// <summary>The engine event behind the change (its time and attributes, such as an exit code), when it came from one.</summary>
    public EngineEvent? Event { get; init; }
}

/// <summary>The node's full list was re-read (after connecting or reconnecting); replaces what a page holds for it.</summary>
public sealed record NodeResynced(string Node, IReadOnlyList<ContainerSummary> Containers) : FleetChange(Node);

/// <summary>The node's event stream broke; the watcher is reconnecting.</summary>
/// <param name="EngineRefused">
/// The node's host answered but refused the connection (nothing listens on the engine's socket or port): the engine
/// itself is down or restarting, not the network or the host.
/// </param>
public sealed record NodeStreamLost(string Node, string Reason, TimeSpan RetryIn, bool EngineRefused = false) : FleetChange(Node)
{
    /// <summary>Whether a failure to reach an engine is a refusal: the socket exists (or the host answers) with nothing behind it.</summary>
    public static bool IsRefusal(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
            if (e is Common.EngineUnavailableException { EngineRefused: true }
                or System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused }) return true;
        return false;
    }
}

/// <summary>The node left the directory (removed by an Admin or from configuration): forget what it held.</summary>
public sealed record NodeRemoved(string Node) : FleetChange(Node);

/// <summary>
/// This subscriber fell behind and <paramref name="Dropped"/> changes (of any node) were dropped in place of this
/// marker: re-read what it needs from <see cref="FleetState"/>, which already holds them.
/// </summary>
public sealed record FleetChangesMissed(int Dropped) : FleetChange(AnyNode)
{
    public const string AnyNode = "*";
}
