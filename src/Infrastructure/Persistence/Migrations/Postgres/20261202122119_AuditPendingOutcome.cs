using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditPendingOutcome : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // An action's outcome is a second row naming its pending row: the log stays insert-only.
            migrationBuilder.AddColumn<long>(
                name: "CompletesId",
                table: "audit_entries",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Pending",
                table: "audit_entries",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_CompletesId",
                table: "audit_entries",
                column: "CompletesId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_audit_entries_CompletesId",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "CompletesId",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "Pending",
                table: "audit_entries");
        }
    }
}
