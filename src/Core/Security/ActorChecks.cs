using ControlPanel.Core.Audit;

namespace ControlPanel.Core.Security;

public static class ActorChecks
{
    /// <summary>The current actor, if it holds <paramref name="permission"/>; otherwise <see cref="PermissionDeniedException"/> naming it.</summary>
    public static async Task<Actor> RequireAsync(this ICurrentActor actor, Permission permission, CancellationToken cancellationToken)
    {
        var who = await actor.GetAsync(cancellationToken);
        return who.Require(permission);
    }

    /// <summary><paramref name="who"/>, if it holds <paramref name="permission"/>; otherwise <see cref="PermissionDeniedException"/> naming it.</summary>
    public static Actor Require(this Actor who, Permission permission) =>
        who.Can(permission) ? who : throw new PermissionDeniedException(permission, who.Name);
}
