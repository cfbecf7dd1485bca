using System.Text.RegularExpressions;

namespace ControlPanel.Core.Fleet;

/// <summary>Decides which environment values are shown as a mask because their key looks like a secret.</summary>
public static partial class SecretMasking
{
    /// <summary>
    /// The one value every page, log and API response shows in place of a secret. Plain ASCII, because API clients
    /// send it back to keep a stored secret unchanged (<see cref="Services.ServiceCatalog.SaveAsync"/>).
    /// </summary>
    public const string Mask = "********";

    private static readonly HashSet<string> SecretWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "PASSWORD", "PASSWD", "PWD", "PASS", "SECRET", "TOKEN", "KEY", "APIKEY", "CREDENTIAL", "CREDENTIALS",
        "PRIVATE", "AUTH", "CERT", "DSN", "SALT", "CONNECTIONSTRING", "CONNECTIONSTRINGS", "PASSPHRASE", "SECRETS", "TOKENS",
    };

    // Words that are secret wherever they end a word: PGPASS, OAUTH_CLIENTSECRET, NPM_AUTHTOKEN, AWS_SECRETACCESSKEY.
    private static readonly string[] SecretEndings = ["PASSWORD", "PASSWD", "PASS", "SECRET", "TOKEN", "APIKEY", "ACCESSKEY", "PRIVATEKEY", "SECRETKEY", "PASSPHRASE"];

    // Word boundaries: separators, and lower-to-upper case changes (apiKey → api, Key).
    [GeneratedRegex("[_.\\-]+|(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex WordBoundary();

    /// <summary>True when a whole word of the key (or two adjacent words together) is a secret word: DB_PASSWORD, apiKey — not MONKEY.</summary>
    public static bool LooksSecret(string key)
    {
        var words = WordBoundary().Split(key).Where(w => w.Length > 0).ToArray();
        for (var i = 0; i < words.Length; i++)
        {
            if (SecretWords.Contains(words[i]) || SecretEndings.Any(e => words[i].EndsWith(e, StringComparison.OrdinalIgnoreCase))) return true;
            if (i + 1 < words.Length && SecretWords.Contains(words[i] + words[i + 1])) return true;
        }
        return false;
    }

    /// <summary>
    /// Splits "KEY=value" and masks the value when the key looks secret or is one of <paramref name="secretKeys"/>;
    /// otherwise masks a password inside a URL in it (DATABASE_URL=postgres://app:secret@db/app).
    /// </summary>
    public static EnvironmentVariable FromKeyValue(string pair, IReadOnlySet<string>? secretKeys = null)
    {
        var eq = pair.IndexOf('=');
        var (key, value) = eq < 0 ? (pair, "") : (pair[..eq], pair[(eq + 1)..]);
        if (LooksSecret(key) || secretKeys?.Contains(key) == true) return new EnvironmentVariable(key, Mask, true);
        var masked = MaskUrlCredentials(value);
        return new EnvironmentVariable(key, masked, masked != value);
    }

    /// <summary>True when the value holds a URL with a password (scheme://user:password@host).</summary>
    public static bool HasUrlCredentials(string value) => UrlCredentials().IsMatch(value);

    /// <summary>The value with the password of every URL in it replaced by the mask; the user and host stay readable.</summary>
    public static string MaskUrlCredentials(string value) => UrlCredentials().Replace(value, m => m.Groups["start"].Value + Mask + "@");

    [GeneratedRegex("(?<start>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s]*:)[^@/\\s]+@", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UrlCredentials();

    /// <summary>The keys a panel-made container's labels say were stored as secrets (see <c>ReplicaLabels.SecretEnvironment</c>).</summary>
    public static IReadOnlySet<string> SecretKeysFromLabel(string? label) =>
        (label ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>The runtime spec as clients may see it: every secret environment value replaced by the mask.</summary>
    public static Releases.RuntimeSpec MaskSecrets(Releases.RuntimeSpec runtime) => runtime with
    {
        Environment = runtime.Environment.Select(e => e.Secret ? e with { Value = Mask } : e).ToList(),
    };

    /// <summary>The build settings as clients may see them: the values of secret build arguments replaced by the mask.</summary>
    public static Services.BuildSettings MaskSecrets(Services.BuildSettings build) => build with
    {
        BuildArgs = build.BuildArgs.ToDictionary(a => a.Key, a => build.SecretBuildArgs.Contains(a.Key) ? Mask : a.Value),
    };
}
