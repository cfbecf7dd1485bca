namespace ControlPanel.Core.Fleet;

public enum ContainerSortKey
{
    Node,
    Name,
    Image,
    State,
    Created,
}

public static class ContainerSort
{
    /// <summary>Orders rows; ties fall back to node then name so the order is stable across refreshes.</summary>
    public static IEnumerable<ContainerSummary> Apply(IEnumerable<ContainerSummary> rows, ContainerSortKey key, bool descending)
    {
        IOrderedEnumerable<ContainerSummary> ordered = key switch
        {
            ContainerSortKey.Name => Order(rows, c => c.Name, descending),
            ContainerSortKey.Image => Order(rows, c => c.Image, descending),
            ContainerSortKey.State => Order(rows, c => c.State.ToString(), descending),
            ContainerSortKey.Created => descending ? rows.OrderByDescending(c => c.Created) : rows.OrderBy(c => c.Created),
            _ => Order(rows, c => c.Node, descending),
        };
        return ordered.ThenBy(c => c.Node, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal);
    }

    private static IOrderedEnumerable<ContainerSummary> Order(IEnumerable<ContainerSummary> rows, Func<ContainerSummary, string> key, bool descending) =>
        descending ? rows.OrderByDescending(key, StringComparer.OrdinalIgnoreCase) : rows.OrderBy(key, StringComparer.OrdinalIgnoreCase);
}
