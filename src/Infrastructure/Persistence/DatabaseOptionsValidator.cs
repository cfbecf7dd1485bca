using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>Fails start-up naming the exact setting that is wrong.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.IsDefined(options.Provider))
            return ValidateOptionsResult.Fail($"{DatabaseOptions.Section}:Provider must be Sqlite or PostgreSQL.");
        if (options.Provider == DatabaseProvider.PostgreSQL && string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail($"{DatabaseOptions.Section}:ConnectionString is required when Provider is PostgreSQL.");
        return ValidateOptionsResult.Success;
    }
}
