using System.Text.RegularExpressions;

namespace ControlPanel.Core.Fleet;

/// <summary>Decides which environment values are shown as "••••" because their key looks like a secret.</summary>
public static partial class SecretMasking
{
    public const string Mask = "••••••";

    // Whole words inside the key (split on _ . -), so DB_PASSWORD and apiKey match but MONKEY does not.
    [GeneratedRegex(@"(^|[_.\-]|(?<=[a-z]))(PASSWORD|PASSWD|PWD|PASS|SECRET|TOKEN|KEY|APIKEY|CREDENTIALS?|PRIVATE|AUTH|CERT|DSN|CONNECTION_?STRING|SALT)($|[_.\-]|(?=[A-Z]))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();

    public static bool LooksSecret(string key) => SecretKey().IsMatch(key);

    /// <summary>Splits "KEY=value" and masks the value when the key looks secret.</summary>
    public static EnvironmentVariable FromKeyValue(string pair)
    {
        var eq = pair.IndexOf('=');
        var (key, value) = eq < 0 ? (pair, "") : (pair[..eq], pair[(eq + 1)..]);
        return LooksSecret(key) ? new EnvironmentVariable(key, Mask, true) : new EnvironmentVariable(key, value, false);
    }
}
