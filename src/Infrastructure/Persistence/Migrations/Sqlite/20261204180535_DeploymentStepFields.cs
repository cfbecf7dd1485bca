using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeploymentStepFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ContainerName",
                table: "deployment_steps",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Image",
                table: "deployment_steps",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.Sql(DeploymentStepFieldsData.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DeploymentStepFieldsData.Down);

            migrationBuilder.DropColumn(
                name: "ContainerName",
                table: "deployment_steps");

            migrationBuilder.DropColumn(
                name: "Image",
                table: "deployment_steps");
        }
    }
}
