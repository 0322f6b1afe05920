/** Where a complaint lives, for staff and for the complainant. */
export const complaintLink = (id: string) => `/complaints/${id}`;
export const carerComplaintLink = (id: string) => `/my-complaints/${id}`;
