using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>How Core records are written into JSON columns: camelCase, enums by name (readable in the database).</summary>
internal static class StoredJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
