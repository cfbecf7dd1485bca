using System.Reflection;
using System.Security.Claims;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A circuit whose 30-second check falls in the panel's shutdown met disposed services: the check failed, signed the
/// circuit out and re-rendered it against them, logging an error per open page. While stopping, the check passes.
/// </summary>
public sealed class RevalidationAtShutdownTests
{
    [Fact]
    public async Task WhileThePanelStops_AnOpenCircuitStaysSignedIn_WithoutTouchingItsDisposedServices()
    {
        var services = new ServiceCollection().BuildServiceProvider();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        await services.DisposeAsync(); // as at the end of a shutdown
        using var stopping = new Stopping();
        var provider = new RevalidatingUserStateProvider(NullLoggerFactory.Instance, scopes, Options.Create(new IdentityOptions()), stopping);

        var valid = await ValidateAsync(provider, new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "test"))));

        Assert.True(valid);
    }

    private static Task<bool> ValidateAsync(RevalidatingUserStateProvider provider, AuthenticationState state) =>
        (Task<bool>)typeof(RevalidatingUserStateProvider)
            .GetMethod("ValidateAuthenticationStateAsync", BindingFlags.NonPublic | BindingFlags.Instance)!
            .Invoke(provider, [state, CancellationToken.None])!;

    private sealed class Stopping : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public Stopping() => _stopping.Cancel();

        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => _stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
        public void Dispose() => _stopping.Dispose();
    }
}
