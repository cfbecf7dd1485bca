using ControlPanel.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Web.Tests;

/// <summary>The app's real hasher, counting how many passwords it verifies (each one costs the same key derivation).</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<ControlPanelUser>
{
    private readonly PasswordHasher<ControlPanelUser> _inner = new();
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(ControlPanelUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(ControlPanelUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
