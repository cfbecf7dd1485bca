using System.Security.Claims;
using System.Text.Encodings.Web;
using ControlPanel.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Security;

/// <summary>
/// `Authorization: Bearer cpt_…` only. A token in a query string is never read: URLs end up in logs
/// and browser history.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    /// <summary>The token a request came with, so long-lived streams can notice its revocation.</summary>
    public const string TokenIdClaim = "token_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var owner = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (owner is null) return AuthenticateResult.Fail("The token is unknown, expired or revoked.");
        var claims = new List<Claim> { new(ClaimTypes.Name, owner.UserName), new(TokenIdClaim, owner.TokenId) };
        claims.AddRange(owner.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
