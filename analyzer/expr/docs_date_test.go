package expr

import "testing"

// Documented examples of the date functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-date

const docDatePage = "template-functions-date"

func TestDocsDate(t *testing.T) {
	// dateTimeAdd example deployed "with a base time of 2020-04-07
	// 14:53:14Z" (the utcNow('u') default replaced by that value).
	tmpl := docTemplate(`{"baseTime": {"type": "string", "defaultValue": "2020-04-07 14:53:14Z"}}`, `{
      "add3Years": "[dateTimeAdd(parameters('baseTime'), 'P3Y')]",
      "subtract9Days": "[dateTimeAdd(parameters('baseTime'), '-P9D')]",
      "add1Hour": "[dateTimeAdd(parameters('baseTime'), 'PT1H')]"
    }`)
	runDoc(t, docDatePage+"#datetimeadd", tmpl, []docCase{
		{"add3Years", "variables('add3Years')", `"4/7/2023 2:53:14 PM"`},
		{"subtract9Days", "variables('subtract9Days')", `"3/29/2020 2:53:14 PM"`},
		{"add1Hour", "variables('add1Hour')", `"4/7/2020 3:53:14 PM"`},
		// With a format string (.NET standard and custom formats).
		{"formatU", "dateTimeAdd(parameters('baseTime'), 'PT1H', 'u')", `"2020-04-07 15:53:14Z"`},
		{"formatCustom", "dateTimeAdd(parameters('baseTime'), 'P1M', 'yyyy-MM-dd')", `"2020-05-07"`},
		{"weeks", "dateTimeAdd('2020-04-07T00:00:00Z', 'P2W', 's')", `"2020-04-21T00:00:00"`},
		{"composite", "dateTimeAdd('2020-04-07T00:00:00Z', 'P1Y2M3DT4H5M6S', 'o')", `"2021-06-10T04:05:06.0000000Z"`},
	})
	// dateTimeFromEpoch / dateTimeToEpoch: epoch 1683040573 is
	// 2023-05-02T15:16:13Z.
	runDoc(t, docDatePage+"#datetimefromepoch", "", []docCase{
		{"convertedEpoch", "dateTimeFromEpoch(1683040573)", `"2023-05-02T15:16:13Z"`},
		{"convertedDatetime", "dateTimeToEpoch('2023-05-02T15:16:13Z')", `1683040573`},
		{"roundTrip", "dateTimeToEpoch(dateTimeFromEpoch(0))", `0`},
		{"addYear", "dateTimeToEpoch(dateTimeAdd('2023-05-02T15:16:13Z', 'P1Y'))", `1714662973`},
	})
	env := newTestEnv(t)
	for _, x := range []string{"dateTimeAdd('2020-04-07', 'P')", "dateTimeAdd('2020-04-07', '3 days')", "dateTimeAdd('not a date', 'P1D')"} {
		if v := evalExpr(env, x); v.Kind() != KUnknown || !v.Unknown().Err {
			t.Errorf("%s = %s, want an error", x, v)
		}
	}
}

func TestDocsDateUtcNow(t *testing.T) {
	// utcnow.json: utcNow() only as a parameter default; the value is
	// unknown before deployment, marked, and named after the parameter.
	tmpl := docTemplate(`{
      "utcValue": {"type": "string", "defaultValue": "[utcNow()]"},
      "utcShortValue": {"type": "string", "defaultValue": "[utcNow('d')]"},
      "utcCustomValue": {"type": "string", "defaultValue": "[utcNow('M d')]"}
    }`, "")
	env := NewEnv(loadTemplate(t, tmpl), Options{})
	for _, p := range []string{"utcValue", "utcShortValue", "utcCustomValue"} {
		v := evalExpr(env, "parameters('"+p+"')")
		if v.Kind() != KUnknown || v.Unknown().Marks&MarkUtcNow == 0 || v.Unknown().Expr != "parameters('"+p+"')" {
			t.Errorf("%s = %s %+v, want an unknown marked utcNow", p, v, v.Unknown())
		}
	}
	// Derived values keep the mark.
	v := evalExpr(env, "dateTimeAdd(parameters('utcValue'), 'PT1H')")
	if v.Kind() != KUnknown || v.Unknown().Marks&MarkUtcNow == 0 {
		t.Errorf("dateTimeAdd of utcNow = %s", v)
	}
	// Elsewhere utcNow() is unknown too (ARM rejects it there).
	if v := evalExpr(env, "utcNow()"); v.Kind() != KUnknown {
		t.Errorf("utcNow() = %s", v)
	}
}
