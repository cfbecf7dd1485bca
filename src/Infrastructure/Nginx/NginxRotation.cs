using System.Text;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Traffic;

namespace ControlPanel.Infrastructure.Nginx;

/// <summary>
/// The rotation of a routed service is its upstream in every replica of its router service: written through the
/// Engine API (archive), checked with <c>nginx -t</c> and loaded with <c>nginx -s reload</c> (graceful: old workers
/// finish their requests). A failed check puts every file back as it was and reloads nothing.
/// </summary>
public sealed class NginxRotation(IContainerEngine engine, IContainerExec exec, INodeDirectory nodes, DeploymentOptions limits) : IRotation
{
    private sealed record RouterReplica(NodeDefinition Node, string Id, string Name);
    private sealed record UpstreamFile(string Service, string Path, string Content);

    public bool Carries(RuntimeSpec spec) => spec.Route is not null;

    public async Task SetMembersAsync(Release release, IReadOnlyList<RotationMember> members, CancellationToken cancellationToken)
    {
        var route = release.Spec.Route ?? throw new InvalidOperationException($"'{release.Service}' has no route.");
        var routers = await RouterReplicasAsync(route.Router, cancellationToken);
        await ApplyAsync(routers, [new UpstreamFile(release.Service, route.File, NginxUpstream.Render(release.Service, route.Upstream, members))], cancellationToken);
    }

    public async Task PrepareRouterAsync(NodeDefinition node, string containerId, IReadOnlyList<RoutedMembers> routes, CancellationToken cancellationToken)
    {
        var files = routes.Where(r => r.Release.Spec.Route is not null)
            .Select(r => new UpstreamFile(r.Release.Service, r.Release.Spec.Route!.File, NginxUpstream.Render(r.Release.Service, r.Release.Spec.Route.Upstream, r.Members)))
            .ToList();
        if (files.Count > 0) await ApplyAsync([new RouterReplica(node, containerId, containerId[..Math.Min(12, containerId.Length)])], files, cancellationToken);
    }

    /// <summary>The router service's running replicas on every node; a node that cannot be read fails the change (its router would keep a stale upstream).</summary>
    private async Task<IReadOnlyList<RouterReplica>> RouterReplicasAsync(string router, CancellationToken cancellationToken)
    {
        try
        {
            var listed = await ServiceReplicaListing.ListAsync(engine, nodes.GetNodes().Where(n => n.IsUsable), router, limits.EngineCallTimeout, cancellationToken);
            return listed.SelectMany(n => n.Replicas.Where(c => c.State == ContainerState.Running).Select(c => new RouterReplica(n.Node, c.Id, c.Name))).ToList();
        }
        catch (NodeUnreadableException ex)
        {
            throw new RotationFailedException($"The router '{router}' on node '{ex.Node}' could not be read ({ex.Why}); its upstream was left as it was.", ex);
        }
    }

    /// <summary>Writes every file into every router, checks each router, and reloads them only when all pass.</summary>
    private async Task ApplyAsync(IReadOnlyList<RouterReplica> routers, IReadOnlyList<UpstreamFile> files, CancellationToken cancellationToken)
    {
        var written = new List<(RouterReplica Router, string Path, byte[]? Before)>();
        try
        {
            foreach (var router in routers)
                foreach (var file in files)
                {
                    var before = await exec.ReadFileAsync(router.Node, router.Id, file.Path, cancellationToken);
                    written.Add((router, file.Path, before));
                    await exec.WriteFileAsync(router.Node, router.Id, file.Path, Encoding.UTF8.GetBytes(file.Content), cancellationToken);
                }
            await Task.WhenAll(routers.Select(async router =>
            {
                var check = await exec.RunAsync(router.Node, router.Id, ["nginx", "-t"], cancellationToken);
                if (check.ExitCode != 0)
                    throw new RotationFailedException($"nginx -t in router {router.Node.Name}/{router.Name} refused the upstream of {string.Join(", ", files.Select(f => $"'{f.Service}' ({f.Path})"))}: {Quote(check.Output)}");
            }));
        }
        catch (ControlPanelException)
        {
            await RestoreAsync(written);
            throw;
        }
        await Task.WhenAll(routers.Select(async router =>
        {
            var reload = await exec.RunAsync(router.Node, router.Id, ["nginx", "-s", "reload"], cancellationToken);
            if (reload.ExitCode != 0) throw new RotationFailedException($"nginx -s reload in router {router.Node.Name}/{router.Name} failed: {Quote(reload.Output)}");
        }));
    }

    /// <summary>Puts each written file back as it was (removed when it was not there), best effort: the check's own error is what the caller reports.</summary>
    private async Task RestoreAsync(List<(RouterReplica Router, string Path, byte[]? Before)> written)
    {
        foreach (var (router, path, before) in written)
        {
            try
            {
                if (before is null) await exec.RunAsync(router.Node, router.Id, ["rm", "-f", path], CancellationToken.None);
                else await exec.WriteFileAsync(router.Node, router.Id, path, before, CancellationToken.None);
            }
            catch (ControlPanelException)
            {
                // The router went away or its engine stopped answering: nothing more to put back there.
            }
        }
    }

    private static string Quote(string output) => string.Join(" ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
