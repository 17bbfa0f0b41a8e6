"""Parking: the kernel that fills spaces, the committee that runs an adopted package, the
package as a negotiable resource, and its rule groups (allocation, tenure, pricing, revenue,
supply)."""
