namespace ControlPanel.Core.Security;

/// <summary>
/// Whether a user who signed in earlier may still be served: long-lived connections (hubs, circuits) ask it again
/// while they run, so a disabled user or a revoked token is cut without waiting for a new request.
/// </summary>
public interface ICredentialStatus
{
    /// <summary>
    /// True when the user exists and is not disabled and, when <paramref name="tokenId"/> is given (the connection
    /// came with an API token), that token is neither revoked nor expired.
    /// </summary>
    Task<bool> IsActiveAsync(string userName, string? tokenId, CancellationToken cancellationToken);
}
