using ControlPanel.Core.Audit;

namespace ControlPanel.Core.Security;

public static class ActorChecks
{
    /// <summary>The current actor, if it holds <paramref name="permission"/>; otherwise <see cref="PermissionDeniedException"/> naming it.</summary>
    public static async Task<Actor> RequireAsync(this ICurrentActor actor, Permission permission, CancellationToken cancellationToken)
    {
        var who = await actor.GetAsync(cancellationToken);
        return who.Can(permission) ? who : throw new PermissionDeniedException(permission, who.Name);
    }
}
