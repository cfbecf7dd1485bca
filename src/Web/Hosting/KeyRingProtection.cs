namespace ControlPanel.Web.Hosting;

/// <summary>
/// The Data Protection key ring decrypts registry passwords, secret environment values and sign-in cookies; stored
/// unencrypted, whoever reads the database holds them all. Outside Development the panel therefore refuses to start
/// without a certificate to encrypt it, unless an operator opts out explicitly — and then it says so on every start.
/// </summary>
public sealed class KeyRingProtection(IConfiguration configuration, IHostEnvironment environment, ILogger<KeyRingProtection> logger) : IHostedService
{
    public const string CertificateSetting = "ControlPanel:DataProtection:CertificatePath";
    public const string OptOutSetting = "ControlPanel:DataProtection:AllowUnprotectedKeys";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration[CertificateSetting] is { Length: > 0 }) return Task.CompletedTask;
        if (configuration.GetValue<bool>(OptOutSetting))
        {
            logger.LogWarning("The Data Protection key ring is stored unencrypted ({OptOut} is set): whoever can read the database can read every stored secret. Set {Certificate}.",
                OptOutSetting, CertificateSetting);
            return Task.CompletedTask;
        }
        if (environment.IsDevelopment()) return Task.CompletedTask;
        throw new InvalidOperationException(
            $"{CertificateSetting} is not set: the key ring that protects stored secrets and sign-in cookies would be stored unencrypted. " +
            $"Set it to a PFX file (the same on every instance), or set {OptOutSetting}=true to accept an unencrypted key ring.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
