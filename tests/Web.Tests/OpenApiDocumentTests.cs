using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Releases;

namespace ControlPanel.Web.Tests;

/// <summary>
/// /openapi/v1.json describes what every endpoint answers (its result and its problems), which fields a client must
/// send, and what each field of a runtime spec means; clients are generated from it (see <see cref="OpenApiClientTests"/>).
/// </summary>
public sealed class OpenApiDocumentTests : ApiTestBase
{
    [Fact]
    public async Task EveryOperation_IsNamed_AndDeclaresItsResult_AndItsProblems()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToList();

        Assert.True(operations.Count >= 35, $"only {operations.Count} operations");
        Assert.Equal(operations.Count, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct().Count());
        foreach (var (name, operation) in operations)
        {
            var responses = operation.GetProperty("responses");
            var success = Assert.Single(responses.EnumerateObject(), r => r.Name.StartsWith('2'));
            // A 204 declares its result by having none (deleting a webhook).
            if (success.Name == "204") Assert.False(success.Value.TryGetProperty("content", out _), $"{name}: a 204 with content");
            else AssertDeclaresItsContent(name, success.Value);
            foreach (var status in new[] { "401", "403" })
                Assert.True(responses.TryGetProperty(status, out var problem) && problem.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{name} declares no {status}");
        }
        Assert.DoesNotContain(Schemas(document).EnumerateObject(), s => s.Name.StartsWith("AnonymousType", StringComparison.Ordinal));
        var errors = Operation(document, "put", "/api/services/{name}").GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/problem+json");
        Assert.Equal("#/components/schemas/HttpValidationProblemDetails", errors.GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(Operation(document, "post", "/api/services/{name}/deployments").GetProperty("responses").TryGetProperty("409", out _));
    }

    private static void AssertDeclaresItsContent(string name, JsonElement success)
    {
        var content = success.GetProperty("content").EnumerateObject().ToList();
        Assert.True(content.Count == 1, $"{name}: {success}");
        // JSON results have a schema; downloads declare their file's content type instead.
        if (content[0].Name == "application/json") Assert.True(content[0].Value.TryGetProperty("schema", out _), $"{name} has no result schema");
        else Assert.Contains(content[0].Name, new[] { "text/csv", "text/plain" });
    }

    [Fact]
    public async Task AServiceDefinition_RequiresOnlyItsRegistryAndImageRepository()
    {
        var document = await DocumentAsync();
        var body = Operation(document, "put", "/api/services/{name}").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var definition = Resolve(document, body);

        Assert.Equal(["imageRepository", "registry"], definition.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order());
        var properties = definition.GetProperty("properties");
        Assert.Contains("null", properties.GetProperty("repositoryUrl").GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("string", properties.GetProperty("registry").GetProperty("type").GetString());
        Assert.Empty(Schemas(document).GetProperty("RuntimeSpec").TryGetProperty("required", out var required) ? required.EnumerateArray() : default);
        Assert.Equal(["name"], Schemas(document).GetProperty("PortSpec").GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task EveryFieldOfARuntimeSpec_IsDescribed_AndItsEnumsListTheirNames()
    {
        var schemas = Schemas(await DocumentAsync());

        foreach (var type in new[] { "RuntimeSpec", "UpdatePolicy", "PortSpec", "EnvironmentValue", "HttpProbe", "TcpProbe", "FastCgiProbe", "BuildSettingsDto" })
        {
            foreach (var property in schemas.GetProperty(type).GetProperty("properties").EnumerateObject())
                Assert.False(string.IsNullOrWhiteSpace(Description(property.Value)), $"{type}.{property.Name} has no description");
        }
        foreach (var (name, names) in new[] { ("HealthKind", Enum.GetNames<HealthKind>()), ("UpdateOrder", Enum.GetNames<UpdateOrder>()), ("FailureAction", Enum.GetNames<FailureAction>()) })
        {
            Assert.Equal("string", schemas.GetProperty(name).GetProperty("type").GetString());
            Assert.Equal(names, schemas.GetProperty(name).GetProperty("enum").EnumerateArray().Select(v => v.GetString()!));
        }
        var replicas = schemas.GetProperty("RuntimeSpec").GetProperty("properties").GetProperty("replicasPerNode");
        Assert.Equal("integer", replicas.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ANumberSentAsAString_IsRefusedByName_AsTheDocumentTypesIt()
    {
        var deployer = await Factory.CreateClientAsync(Core.Security.Role.Deployer);

        var response = await deployer.PutAsJsonAsync("/api/services/oas-strict", new { registry = "lab", imageRepository = "tests/oas-strict", runtime = new { replicasPerNode = "2" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("'runtime.replicasPerNode' must be a whole number.", problem.GetProperty("errors").GetProperty("runtime.replicasPerNode")[0].GetString());
    }

    private async Task<JsonElement> DocumentAsync() => JsonDocument.Parse(await Http.GetStringAsync("/openapi/v1.json")).RootElement;

    private static JsonElement Schemas(JsonElement document) => document.GetProperty("components").GetProperty("schemas");

    private static JsonElement Operation(JsonElement document, string method, string path) => document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        select ($"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value);

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? Schemas(document).GetProperty(reference.GetString()!.Split('/')[^1]) : schema;

    /// <summary>A property's description, or that of its reference when the property may also be null (oneOf null or the type).</summary>
    private static string? Description(JsonElement property) =>
        property.TryGetProperty("description", out var description) ? description.GetString()
        : property.TryGetProperty("oneOf", out var oneOf) ? oneOf.EnumerateArray().Select(Description).FirstOrDefault(d => d is not null)
        : null;
}
