using ControlPanel.Core.Audit;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ControlPanel.Web.Security;

/// <summary>Sign-in and sign-out form posts. Failures get one generic message and are counted and audited.</summary>
public static class AccountEndpoints
{
    public const string SignInRateLimit = "sign-in";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/signin", SignInAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit).ExcludeFromDescription();
        app.MapPost("/account/signout", async (SignInManager<ControlPanelUser> signIn, ICurrentActor actor, IAuditLog audit, TimeProvider time, HttpContext http) =>
        {
            // The antiforgery middleware only records its verdict for an endpoint that binds no form field.
            if (http.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>() is { IsValid: false })
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: "The sign-out form's token is missing or invalid; sign out from the panel's own page.");
            var who = await actor.GetAsync(http.RequestAborted);
            await signIn.SignOutAsync();
            await audit.RecordAsync(Entry(time, who.Name, http, "user.signout", true, null), CancellationToken.None);
            return Results.LocalRedirect("/account/login");
        })
            // Binds no form field, so the framework would not check the form's token by itself (no forced sign-outs).
            .WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute())
            .RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignInAsync(
        [FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
        SignInManager<ControlPanelUser> signIn, IAuditLog audit, TimeProvider time, HttpContext http)
    {
        var name = (userName ?? "").Trim();
        var target = IsLocal(returnUrl) ? returnUrl! : "/containers";
        var user = name.Length == 0 ? null : await signIn.UserManager.FindByNameAsync(name);
        string? failure = null;
        if (user is null || user.IsDisabled)
        {
            // As slow as checking a real password: a quick answer would tell which user names exist (or are disabled).
            VerifyAgainstDummyHash(signIn.UserManager, password);
            failure = user is null ? "unknown user" : "user disabled";
        }
        else if (await signIn.UserManager.IsLockedOutAsync(user))
        {
            // Identity answers a locked account without hashing; that speed would tell the account exists.
            VerifyAgainstDummyHash(signIn.UserManager, password);
            failure = "locked out after repeated failures";
        }
        else
        {
            var result = await signIn.PasswordSignInAsync(user, password ?? "", isPersistent: false, lockoutOnFailure: true);
            if (result.IsLockedOut) failure = "locked out after repeated failures";
            else if (!result.Succeeded) failure = "wrong password";
        }
        await audit.RecordAsync(Entry(time, name.Length == 0 ? "(empty)" : name, http, failure is null ? "user.signin" : "user.signin.failed", failure is null, failure), CancellationToken.None);
        // The same answer for every failure: it must not tell which user names exist.
        return failure is null
            ? Results.LocalRedirect(target)
            : Results.LocalRedirect($"/account/login?error=1&returnUrl={Uri.EscapeDataString(target)}");
    }

    /// <summary>
    /// A path on this site, by the rule LocalRedirect itself applies (which throws, a 500, on anything else): no
    /// scheme-relative "//" or "/\\", and no control character (browsers drop a tab or newline, so "/\t/evil.example"
    /// becomes "//evil.example").
    /// </summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl);

    private static readonly ControlPanelUser DummyUser = new() { UserName = "(none)" };
    private static string? _dummyHash;

    /// <summary>Made by the app's own hasher, so it costs the same iterations as a real user's hash.</summary>
    private static void VerifyAgainstDummyHash(UserManager<ControlPanelUser> users, string? password)
    {
        var hash = _dummyHash ??= users.PasswordHasher.HashPassword(DummyUser, Guid.NewGuid().ToString());
        users.PasswordHasher.VerifyHashedPassword(DummyUser, hash, password ?? "");
    }

    private static AuditEntry Entry(TimeProvider time, string actor, HttpContext http, string action, bool ok, string? error) => new()
    {
        At = time.GetUtcNow(), Actor = actor, ClientAddress = http.Connection.RemoteIpAddress?.ToString(), Action = action,
        Target = actor, Succeeded = ok, Error = error, Duration = TimeSpan.Zero,
    };
}
