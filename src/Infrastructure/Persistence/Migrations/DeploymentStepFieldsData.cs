namespace ControlPanel.Infrastructure.Persistence.Migrations;

/// <summary>
/// Moves what the one "ContainerId" column carried before into its own fields, for both providers (plain SQL both
/// accept): a pull step's image reference to "Image"; a create step's replica name to "ContainerName" and the id the
/// engine gave it (kept in "Detail" when the step succeeded) to "ContainerId".
/// </summary>
internal static class DeploymentStepFieldsData
{
    public const string Up = """
        UPDATE deployment_steps SET "Image" = "ContainerId", "ContainerId" = NULL WHERE "Action" = 'pull';
        UPDATE deployment_steps SET "ContainerName" = "ContainerId",
            "ContainerId" = CASE WHEN "Failed" THEN NULL ELSE "Detail" END,
            "Detail" = CASE WHEN "Failed" THEN "Detail" ELSE NULL END
            WHERE "Action" = 'create';
        """;

    // The old column held 100 characters; a longer image reference was cut then as now.
    public const string Down = """
        UPDATE deployment_steps SET "ContainerId" = substr("Image", 1, 100) WHERE "Action" = 'pull';
        UPDATE deployment_steps SET "Detail" = CASE WHEN "Failed" THEN "Detail" ELSE "ContainerId" END, "ContainerId" = "ContainerName"
            WHERE "Action" = 'create';
        """;
}
