using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditCount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rows written before are one occurrence each (adding a column with a default runs no update trigger).
            migrationBuilder.AddColumn<int>(
                name: "Count",
                table: "audit_entries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Count",
                table: "audit_entries");
        }
    }
}
