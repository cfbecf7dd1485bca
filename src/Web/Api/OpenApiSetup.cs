using Microsoft.OpenApi;

namespace ControlPanel.Web.Api;

/// <summary>
/// The OpenAPI document at /openapi/v1.json, from which clients are generated: schema descriptions come from the XML
/// docs of the DTOs and of Core's records (both projects generate their documentation file).
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddControlPanelOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "ControlPanel API";
                document.Info.Description = "Nodes, containers, logs, services, builds, releases and deployments. Sign in, or send " +
                    "'Authorization: Bearer <token>'. Errors are RFC 7807 problem details; a 400 names the wrong field under 'errors'.";
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // Enums travel as their names (JsonStringEnumConverter); without a type, generators guess integers. The schema
                // of a nullable enum becomes the shared component too: its null is said where a property may be null, not here.
                var type = context.JsonTypeInfo.Type;
                if ((Nullable.GetUnderlyingType(type) ?? type).IsEnum && schema.Enum is { } names)
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Enum = [.. names.Where(name => name is not null)];
                }
                return Task.CompletedTask;
            });
        });
}
