using Npgsql;

namespace ControlPanel.TestSupport;

/// <summary>A fresh PostgreSQL database on the lab cluster for one test class, dropped afterwards.</summary>
public sealed class LabDatabase : IAsyncDisposable
{
    private LabDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<LabDatabase> CreateAsync()
    {
        var name = "cp_" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = new NpgsqlConnection(Lab.Current.PostgresConnectionString);
        await admin.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin)) await create.ExecuteNonQueryAsync();
        var builder = new NpgsqlConnectionStringBuilder(Lab.Current.PostgresConnectionString) { Database = name };
        return new LabDatabase(name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Lab.Current.PostgresConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
