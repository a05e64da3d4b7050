using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Nlps.Daemon.Configuration;

/// <summary>Runs an options class's data annotations and reports each failure as <c>Section:Member: why</c>.</summary>
/// <typeparam name="TOptions">The options class.</typeparam>
internal sealed class AnnotatedOptionsValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r =>
            $"{sectionName}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}
