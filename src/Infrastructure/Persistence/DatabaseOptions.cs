namespace ControlPanel.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

/// <summary>The "ControlPanel:Database" configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "ControlPanel:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>For SQLite, empty means a file in the app's data folder.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations when the app starts (the default); otherwise run "migrate" yourself.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
