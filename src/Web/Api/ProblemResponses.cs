using Microsoft.AspNetCore.Mvc;

namespace ControlPanel.Web.Api;

/// <summary>
/// Declares, for the OpenAPI document, the problem details an endpoint answers with besides its result. The errors
/// themselves come from <see cref="ProblemDetailsExceptionHandler"/> and the API's authorization handler, so the
/// endpoints only say which statuses they can meet.
/// </summary>
public static class ProblemResponses
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    /// <summary>401 without a session or a valid token, 403 without the endpoint's permission.</summary>
    public static TBuilder ProducesAuthProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);

    /// <summary>A 400 carries the field that was wrong under <c>errors</c>; every other status a plain problem.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statusCodes)
        {
            var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, type, ProblemJson));
        }
        return builder;
    }

    /// <summary>A download: the body is a file of that content type, not JSON (a stream is documented as binary).</summary>
    public static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder builder, string contentType) =>
        builder.Produces(StatusCodes.Status200OK, typeof(Stream), contentType);
}
