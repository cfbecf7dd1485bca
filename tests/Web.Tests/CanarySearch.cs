using System.Text;
using Microsoft.Data.Sqlite;

namespace ControlPanel.Web.Tests;

/// <summary>Where the canary tests look for secrets: plain, base64 and base64url, in logs, responses and the database.</summary>
internal static class CanarySearch
{
    public static List<string> Forms(IEnumerable<string> secrets) => secrets.SelectMany(s => new[] { s, Base64(s), Base64Url(s) }).ToList();

    public static IEnumerable<string> Search(string where, IEnumerable<string> texts, List<string> forms) =>
        from text in texts from form in forms where text.Contains(form, StringComparison.Ordinal) select $"{where} [{form}]: {Around(text, form)}";

    // The hit in context, so a failure shows what leaked where.
    private static string Around(string text, string form)
    {
        var at = text.IndexOf(form, StringComparison.Ordinal);
        var from = Math.Max(0, at - 120);
        return text[from..Math.Min(text.Length, at + form.Length + 40)];
    }

    /// <summary>Every value in every table of the SQLite file, blobs as text and base64.</summary>
    public static async Task<List<string>> DatabaseValuesAsync(string file)
    {
        var values = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new SqliteCommand("SELECT name FROM sqlite_master WHERE type = 'table'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        foreach (var table in tables)
        {
            await using var select = new SqliteCommand($"SELECT * FROM \"{table}\"", connection);
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
                for (var i = 0; i < rows.FieldCount; i++)
                    if (!rows.IsDBNull(i)) values.Add(rows.GetValue(i) is byte[] bytes ? Encoding.UTF8.GetString(bytes) + " " + Convert.ToBase64String(bytes) : rows.GetValue(i).ToString()!);
        }
        Assert.Contains("audit_entries", tables);
        return values;
    }

    public static string Base64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    public static string Base64Url(string s) => Base64(s).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Keeps every response body the test receives.</summary>
    public sealed class Recorder(List<string> bodies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            lock (bodies) bodies.Add($"{(int)response.StatusCode} {body} {string.Join(";", response.Headers.Select(h => h.Key + "=" + string.Join(",", h.Value)))}");
            return response;
        }
    }
}
