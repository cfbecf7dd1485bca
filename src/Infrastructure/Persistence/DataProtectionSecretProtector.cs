using System.Security.Cryptography;
using ControlPanel.Core.Releases;
using Microsoft.AspNetCore.DataProtection;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>Secret environment values, encrypted with the key ring every instance shares (kept in the database).</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("ControlPanel.Services.SecretEnvironment.v1");

    public string Protect(string value) => _protector.Protect(value);

    public string Unprotect(string protectedValue)
    {
        try
        {
            return _protector.Unprotect(protectedValue);
        }
        catch (CryptographicException)
        {
            throw new Core.Common.InvalidRequestException("runtime.environment", "A secret value can no longer be decrypted (the panel's keys changed); set it again.");
        }
    }
}
